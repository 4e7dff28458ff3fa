"""Command-line client for the interop tests: each command prints ONE JSON line on stdout.

    /usr/bin/python3 celery_client.py send NAME [--args JSON] [--kwargs JSON] [--countdown S]
        [--priority P] [--expires S] [--queue Q] [--wait S] [--task-id ID]
        -> {"id", "state", "result", "exception": {"type", "message"} | null, "timed_out"}
    /usr/bin/python3 celery_client.py result ID [--wait S]                 -> same shape
    /usr/bin/python3 celery_client.py bulk NAME --count N [--args JSON] [--kwargs JSON] [--queue Q]
        [--ids-file PATH]                                                   -> {"ids": [...]} or
                                                                               {"count": N, "ids_file": PATH}
    /usr/bin/python3 celery_client.py runs                                  -> {"runs": {task_id: n}}
    /usr/bin/python3 celery_client.py flushdb                               -> {"flushed": DB}

Broker and backend come from CELERY_BROKER_URL / CELERY_RESULT_BACKEND, as for the worker.
Anything else Celery prints goes to stderr, so stdout stays one line of JSON.
"""

import argparse
import json
import sys

import celery.exceptions
from celery.result import AsyncResult

from celery_peer import _runs, app


def _outcome(result, wait):
    timed_out = False
    if wait is not None and wait > 0:
        try:
            result.get(timeout=wait, propagate=False, disable_sync_subtasks=False)
        except celery.exceptions.TimeoutError:
            timed_out = True
    state = result.state
    value = result.result
    exception = None
    if isinstance(value, BaseException):
        exception = {"type": type(value).__name__, "message": str(value)}
        value = None
    return {
        "id": result.id,
        "state": state,
        "result": value,
        "exception": exception,
        "timed_out": timed_out,
    }


def _send_options(ns):
    options = {}
    if ns.countdown is not None:
        options["countdown"] = ns.countdown
    if ns.priority is not None:
        options["priority"] = ns.priority
    if ns.expires is not None:
        options["expires"] = ns.expires
    if ns.queue is not None:
        options["queue"] = ns.queue
    return options


def cmd_send(ns):
    options = _send_options(ns)
    if ns.task_id is not None:
        options["task_id"] = ns.task_id
    result = app.send_task(ns.name, args=ns.args, kwargs=ns.kwargs, **options)
    return _outcome(result, ns.wait)


def cmd_result(ns):
    return _outcome(AsyncResult(ns.id, app=app), ns.wait)


def cmd_bulk(ns):
    # Nobody waits for these results here: do not SUBSCRIBE once per task (send_task would).
    app.backend.on_task_call = lambda producer, task_id: None
    options = _send_options(ns)
    ids = []
    with app.producer_or_acquire() as producer:
        for _ in range(ns.count):
            result = app.send_task(
                ns.name, args=ns.args, kwargs=ns.kwargs, producer=producer, **options
            )
            ids.append(result.id)
    if ns.ids_file:
        with open(ns.ids_file, "w", encoding="utf-8") as out:
            out.write("\n".join(ids) + "\n")
        return {"count": len(ids), "ids_file": ns.ids_file}
    return {"ids": ids}


def cmd_runs(ns):
    raw = _runs().hgetall("peer.runs")
    return {"runs": {k.decode(): int(v) for k, v in raw.items()}}


def cmd_flushdb(ns):
    client = _runs()
    client.flushdb()
    return {"flushed": client.connection_pool.connection_kwargs.get("db", 0)}


def _json_arg(kind):
    def parse(text):
        value = json.loads(text)
        if not isinstance(value, kind):
            raise argparse.ArgumentTypeError("expected a JSON %s" % kind.__name__)
        return value

    return parse


def _parser():
    parser = argparse.ArgumentParser(prog="celery_client.py")
    sub = parser.add_subparsers(dest="command", required=True)

    def task_options(p):
        p.add_argument("name")
        p.add_argument("--args", type=_json_arg(list), default=[])
        p.add_argument("--kwargs", type=_json_arg(dict), default={})
        p.add_argument("--countdown", type=float)
        p.add_argument("--priority", type=int)
        p.add_argument("--expires", type=float)
        p.add_argument("--queue")

    send = sub.add_parser("send")
    task_options(send)
    send.add_argument("--wait", type=float, default=0)
    send.add_argument("--task-id")
    send.set_defaults(func=cmd_send)

    result = sub.add_parser("result")
    result.add_argument("id")
    result.add_argument("--wait", type=float, default=0)
    result.set_defaults(func=cmd_result)

    bulk = sub.add_parser("bulk")
    task_options(bulk)
    bulk.add_argument("--count", type=int, required=True)
    bulk.add_argument("--ids-file")
    bulk.set_defaults(func=cmd_bulk)

    sub.add_parser("runs").set_defaults(func=cmd_runs)
    sub.add_parser("flushdb").set_defaults(func=cmd_flushdb)
    return parser


def main(argv):
    ns = _parser().parse_args(argv)
    out = ns.func(ns)
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
