"""Celery 5.2 peer of the securetx queue benchmark (run by hand, never by CI).

One Python client drives both Celery and the securetx Java worker: both speak Celery's wire
protocol and both implement the built-in ``celery.accumulate`` (it returns its arguments), so the
messages enqueued here are the same for either worker.

The app reads its Redis URL (broker and result backend, one dedicated database) from
``CELERY_BENCH_URL``, default ``redis://127.0.0.1:6379/13``; ``--url`` overrides it for the client
subcommands. The worker is started by the Java bench process, from this directory::

    CELERY_BENCH_URL=redis://127.0.0.1:6379/13 /usr/bin/python3 -m celery -A celery_bench worker \
        --pool=prefork -c 2 -Q bench --without-gossip --without-mingle --without-heartbeat \
        --loglevel=warning

Subcommands (each prints one JSON object on its last stdout line):

    versions                         Celery, kombu, redis-py and redis-server versions
    prepare-db                       refuse a database holding foreign keys, else FLUSHDB it
    flushdb                          FLUSHDB (after a run)
    enqueue --count N --queue Q      pre-fill the queue with celery.accumulate(i), i = 0..N-1
    drain-stats --expect N           wait for N stored results, then first/last date_done
    roundtrip --count N --queue Q    send one, wait for its result, repeat; p50/p99 in ms
    check --queue Q                  one accumulate round trip, asserting it returns its args
"""

import argparse
import datetime
import json
import os
import sys
import time

from celery import Celery

DEFAULT_URL = "redis://127.0.0.1:6379/13"
META_PREFIX = "celery-task-meta-"
TASK = "celery.accumulate"

app = Celery("celery_bench")
app.conf.update(
    broker_url=os.environ.get("CELERY_BENCH_URL", DEFAULT_URL),
    result_backend=os.environ.get("CELERY_BENCH_URL", DEFAULT_URL),
    # Results must be stored: the drain figure is read from their date_done stamps.
    task_ignore_result=False,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    worker_hijack_root_logger=False,
)


def _use_url(url):
    if url:
        app.conf.update(broker_url=url, result_backend=url)


def _redis():
    import redis

    return redis.Redis.from_url(app.conf.result_backend)


def _emit(obj):
    print(json.dumps(obj, sort_keys=True), flush=True)


def _own_key(key):
    # Keys Celery/kombu create in a broker+backend database (celery-wire.md section 1).
    return (
        key.startswith(b"celery-task-meta-")
        or key.startswith(b"_kombu.")
        or key.startswith(b"unacked")
        or key.startswith(b"bench")
        or key.startswith(b"celery")
    )


def prepare_db(args):
    r = _redis()
    foreign = [k for k in r.scan_iter(count=1000) if not _own_key(k)]
    if foreign:
        _emit({"error": "database holds keys this bench did not create", "sample": [
            k.decode("utf-8", "replace") for k in foreign[:5]], "url": app.conf.result_backend})
        return 3
    r.flushdb()
    _emit({"flushed": True, "url": app.conf.result_backend})
    return 0


def flushdb(args):
    _redis().flushdb()
    _emit({"flushed": True, "url": app.conf.result_backend})
    return 0


def enqueue(args):
    """Sends as fast as the ordinary client API can, over one held producer connection.

    ``send_task`` also SUBSCRIBEs to each result's channel (what every real client with a Redis
    backend does); ``--no-subscribe`` leaves that out to show the cost of the bare LPUSH path.
    """
    if args.no_subscribe:
        app.backend.on_task_call = lambda producer, task_id: None
    count = args.count
    with app.producer_or_acquire() as producer:
        start = time.perf_counter()
        for i in range(count):
            app.send_task(TASK, args=[i], queue=args.queue, producer=producer)
        elapsed = time.perf_counter() - start
    _emit({"peer": "celery", "op": "enqueue", "count": count, "seconds": elapsed,
           "per_second": count / elapsed, "subscribe": not args.no_subscribe})
    return 0


def _parse_date(text):
    # Celery 5.2 writes naive UTC (datetime.utcnow().isoformat()); 5.3+ writes an aware value.
    # The securetx worker may write either, possibly with "Z".
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    value = datetime.datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


def _read_results(r):
    keys = list(r.scan_iter(match=META_PREFIX + "*", count=2000))
    metas = []
    for start in range(0, len(keys), 1000):
        for raw in r.mget(keys[start:start + 1000]):
            if raw is not None:
                metas.append(json.loads(raw))
    return metas


def drain_stats(args):
    """Waits until ``expect`` results are stored, then reports N / (last - first date_done)."""
    r = _redis()
    deadline = time.monotonic() + args.timeout
    metas = []
    while True:
        # Cheap probe first so polling does not steal CPU from the worker on a 2-core machine.
        busy = r.llen(args.queue) > 0 if args.queue else False
        if not busy:
            metas = _read_results(r)
            if len(metas) >= args.expect:
                break
        if time.monotonic() > deadline:
            _emit({"error": "timed out waiting for results", "stored": len(metas),
                   "expected": args.expect})
            return 4
        time.sleep(args.poll)
    done = sorted(_parse_date(m["date_done"]) for m in metas)
    statuses = {}
    wrong = 0
    for m in metas:
        statuses[m["status"]] = statuses.get(m["status"], 0) + 1
        result = m.get("result")
        if m["status"] != "SUCCESS" or not isinstance(result, list) or len(result) != 1:
            wrong += 1
    span = (done[-1] - done[0]).total_seconds()
    n = len(metas)
    _emit({"peer": "celery", "op": "drain", "count": n, "statuses": statuses, "wrong": wrong,
           "first": done[0].isoformat(), "last": done[-1].isoformat(), "seconds": span,
           "per_second": n / span if span > 0 else None})
    return 0 if wrong == 0 else 5


def _percentile(sorted_values, q):
    import math

    index = min(len(sorted_values) - 1, max(0, math.ceil(q * len(sorted_values)) - 1))
    return sorted_values[index]


def roundtrip(args):
    """On an idle worker: send one task, wait for its result, repeat."""
    samples = []
    for i in range(args.warmup + args.count):
        start = time.perf_counter()
        result = app.send_task(TASK, args=[i], queue=args.queue).get(timeout=args.timeout)
        elapsed = time.perf_counter() - start
        if result != [i]:
            _emit({"error": "wrong result", "sent": [i], "got": result})
            return 5
        if i >= args.warmup:
            samples.append(elapsed * 1000.0)
    samples.sort()
    _emit({"peer": "celery", "op": "roundtrip", "count": len(samples),
           "p50_ms": _percentile(samples, 0.50), "p99_ms": _percentile(samples, 0.99),
           "max_ms": samples[-1], "mean_ms": sum(samples) / len(samples)})
    return 0


def check(args):
    """Proves the worker has celery.accumulate registered and that it returns its arguments."""
    result = app.send_task(TASK, args=[1, "two", {"three": 3}], queue=args.queue).get(
        timeout=args.timeout)
    ok = result == [1, "two", {"three": 3}]
    _emit({"peer": "celery", "op": "check", "result": result, "ok": ok})
    return 0 if ok else 5


def versions(args):
    import celery
    import kombu
    import redis

    _emit({"celery": celery.__version__, "kombu": kombu.__version__, "redis-py": redis.__version__,
           "python": sys.version.split()[0], "redis-server": _redis().info("server")["redis_version"]})
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="redis URL of broker and backend (default $CELERY_BENCH_URL)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("versions").set_defaults(func=versions)
    sub.add_parser("prepare-db").set_defaults(func=prepare_db)
    sub.add_parser("flushdb").set_defaults(func=flushdb)
    p = sub.add_parser("enqueue")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--queue", default="bench")
    p.add_argument("--no-subscribe", action="store_true")
    p.set_defaults(func=enqueue)
    p = sub.add_parser("drain-stats")
    p.add_argument("--expect", type=int, required=True)
    p.add_argument("--queue", default="bench", help="list probed before scanning results")
    p.add_argument("--timeout", type=float, default=600.0)
    p.add_argument("--poll", type=float, default=0.5)
    p.set_defaults(func=drain_stats)
    p = sub.add_parser("roundtrip")
    p.add_argument("--count", type=int, default=500)
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--queue", default="bench")
    p.add_argument("--timeout", type=float, default=10.0)
    p.set_defaults(func=roundtrip)
    p = sub.add_parser("check")
    p.add_argument("--queue", default="bench")
    p.add_argument("--timeout", type=float, default=30.0)
    p.set_defaults(func=check)
    args = parser.parse_args(argv)
    _use_url(args.url)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
