"""The real Celery 5.2 peer that the interop tests drive.

Started by the Java harness (io.securetx.task.interop.CeleryPeer) from this directory:

    CELERY_BROKER_URL=redis://127.0.0.1:6379/12 CELERY_RESULT_BACKEND=redis://127.0.0.1:6379/12 \
    /usr/bin/python3 -m celery -A celery_peer worker --pool=solo -c 1 -Q celery \
        -n py1@%h --loglevel=info --without-gossip --without-mingle --without-heartbeat

Task names are plain (no module prefix) so that Java producers and workers can use the same
names as in the wire spec (shared/celery-wire.md).
"""

import os
import time

import redis
from celery import Celery

BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/12")
RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", BROKER_URL)

app = Celery("celery_peer", broker=BROKER_URL, backend=RESULT_BACKEND)
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    # JSON only: also what lets a worker run as root (CI) without Celery refusing to start.
    accept_content=["json"],
    enable_utc=True,
    timezone="UTC",
    # task_acks_late stays at its default (False): the peer must behave like a stock deployment.
    broker_connection_retry_on_startup=True,
)

_runs_client = None


def _runs():
    """The Redis client for the duplicate-run counter, on the broker's database."""
    global _runs_client
    if _runs_client is None:
        _runs_client = redis.Redis.from_url(BROKER_URL)
    return _runs_client


@app.task(name="send_welcome_email")
def send_welcome_email(user_id, email):
    return {"status": "sent", "recipient": email}


@app.task(name="generate_monthly_report")
def generate_monthly_report(month):
    return "/tmp/report_%s.pdf" % month


@app.task(name="record_run", bind=True)
def record_run(self, n):
    # One hash for the whole test database: HGETALL peer.runs shows every task that ran and how
    # often, so a test sharing a queue between Python and Java workers can count duplicates.
    _runs().hincrby("peer.runs", self.request.id, 1)
    return n


@app.task(name="always_fails")
def always_fails():
    raise ValueError("always fails")


@app.task(name="sleep_for")
def sleep_for(seconds):
    time.sleep(float(seconds))
    return seconds
