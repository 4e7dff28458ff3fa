"""Calls the seed's tasks exactly as the seed's README does and prints one JSON line per call.

    /usr/bin/python3 seed_client.py WAIT_SECONDS
"""

import json
import sys

from new import generate_monthly_report, process_transaction, send_welcome_email


def outcome(result, wait):
    value = result.get(timeout=wait, propagate=False)
    if isinstance(value, BaseException):
        value = {"exception": type(value).__name__, "message": str(value)}
    return {"id": result.id, "state": result.state, "result": value}


def main():
    wait = float(sys.argv[1])
    calls = {
        # The seed's README: send_welcome_email.delay(user_id=123, email="user@example.com")
        "email": send_welcome_email.delay(user_id=123, email="user@example.com"),
        "transaction": process_transaction.delay(123, "100.00", "USD", "seed-order-1"),
        "bad_amount": process_transaction.delay(123, "-5"),
    }
    results = {name: outcome(result, wait) for name, result in calls.items()}
    # After the transaction is stored, so the report counts it. The seed's README:
    # generate_monthly_report.delay(month="August"); a month name means its latest occurrence.
    month = sys.argv[2] if len(sys.argv) > 2 else "August"
    results["report"] = outcome(generate_monthly_report.delay(month=month), wait)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
