#!/usr/bin/env python3
"""Checks deliveries of Koers's webhooks with the reference libraries integrators use.

Each record is one delivery as a receiver got it: {"headers": {name: value}, "body": "<the body as
sent, UTF-8>", "secret": "whsec_..."}. For every record:

- the Standard Webhooks library (`standardwebhooks`) verifies the signature over the body with the
  secret (and, as it always does, that `webhook-timestamp` is within 5 minutes of now);
- the same body with one byte added does not verify (the check is not vacuous);
- the CloudEvents SDK (`cloudevents`) parses the request as a structured-mode CloudEvent 1.0, whose
  id is the `webhook-id` and whose type, source, time and dataref are present.

Usage: verify.py FILE... (each a JSON list of records, or one record). Exits 1 when any check fails,
2 when a file cannot be read. Versions: .ci/requirements-webhooks.txt.

The records are written by the koers-http test that delivers to a local receiver:
    KOERS_WEBHOOK_CAPTURE=/tmp/levering.json \
        cargo test -p koers-http --lib aflevering::tests::a_delivery_is_a_signed_structured_cloudevent
    python3 tests/webhooks/verify.py /tmp/levering.json
(within 5 minutes: the library refuses older timestamps, as a receiver should).
"""

import json
import sys

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

try:  # cloudevents 2.x
    from cloudevents.core.bindings.http import HTTPMessage, from_http_event

    def parse_cloudevent(headers, body):
        event = from_http_event(HTTPMessage(headers=headers, body=body))
        return event.get_attributes()

except ImportError:  # cloudevents 1.x
    from cloudevents.http import from_http

    def parse_cloudevent(headers, body):
        return dict(from_http(headers, body).get_attributes())


CLOUDEVENTS_JSON = "application/cloudevents+json"


def check(record):
    """The failures of one record, as texts (none when it passes)."""
    failures = []
    headers = {str(k).lower(): str(v) for k, v in record["headers"].items()}
    body = record["body"].encode("utf-8")
    secret = record["secret"]

    try:
        Webhook(secret).verify(body, headers)
    except WebhookVerificationError as error:
        failures.append(f"standardwebhooks: {error}")
    try:
        Webhook(secret).verify(body + b" ", headers)
        failures.append("standardwebhooks: a changed body verified too")
    except WebhookVerificationError:
        pass

    content_type = headers.get("content-type", "")
    if content_type.split(";")[0].strip() != CLOUDEVENTS_JSON:
        failures.append(f"content-type is {content_type!r}, not {CLOUDEVENTS_JSON}")
    try:
        attributes = parse_cloudevent(headers, body)
    except Exception as error:  # the SDK raises several kinds; every one is a failure here
        failures.append(f"cloudevents: {type(error).__name__}: {error}")
        return failures
    if attributes.get("specversion") != "1.0":
        failures.append(f"specversion is {attributes.get('specversion')!r}")
    if attributes.get("id") != headers.get("webhook-id"):
        failures.append("the CloudEvent's id is not the webhook-id")
    for name in ("type", "source", "time", "dataref"):
        if not attributes.get(name):
            failures.append(f"the CloudEvent has no {name}")
    if not str(attributes.get("type", "")).startswith("nl.koers."):
        failures.append(f"type {attributes.get('type')!r} is not nl.koers.*")
    return failures


def main(paths):
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    failed = 0
    total = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as file:
                records = json.load(file)
        except (OSError, ValueError) as error:
            print(f"{path}: cannot be read: {error}", file=sys.stderr)
            return 2
        if isinstance(records, dict):
            records = [records]
        if not records:
            print(f"{path}: no records", file=sys.stderr)
            return 2
        for index, record in enumerate(records):
            total += 1
            failures = check(record)
            label = f"{path}[{index}] webhook-id {record['headers'].get('webhook-id')}"
            if failures:
                failed += 1
                print(f"FAIL {label}")
                for failure in failures:
                    print(f"     {failure}")
            else:
                print(f"ok   {label}")
    print(f"{total - failed} of {total} deliveries verified and parsed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
