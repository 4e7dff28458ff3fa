"""The seed's Celery module, as its users have it: ``new.py`` declaring the tasks.

The bodies never run here: a securetx worker consumes the queue. A Python client imports this
module unchanged and calls ``send_welcome_email.delay(...)``; Celery names the tasks
``new.send_welcome_email`` and so on, which securetx accepts through SECURETX_TASK_ALIASES.
"""

import os

from celery import Celery

app = Celery(
    "new",
    broker=os.environ["CELERY_BROKER_URL"],
    backend=os.environ["CELERY_RESULT_BACKEND"],
)


@app.task(bind=True, max_retries=3)
def send_welcome_email(self, user_id, email):
    raise RuntimeError("runs on the securetx worker, not in Python")


@app.task
def generate_monthly_report(month):
    raise RuntimeError("runs on the securetx worker, not in Python")


@app.task
def process_transaction(user_id, amount, currency=None, idempotency_key=None):
    raise RuntimeError("runs on the securetx worker, not in Python")
