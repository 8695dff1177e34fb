#!/usr/bin/env python3
"""A steady writer for the failover test (tests/ha/failover.sh).

    writer.py BASE_URL CAFILE USERNAME PASSWORD LOG STOPFILE [NAME]

Signs in once, then until STOPFILE exists: creates a case and adds a note
to it, one request every 0.1 s or so.  Every request goes in LOG as one
JSON line: {"w", "t" (epoch seconds at the answer), "op", "status", "id"}
with the case's id, or the note's text (unique), when the answer was 2xx.  A request that
got no answer (connection refused, reset) has status 0.  Nothing is
retried: what the test checks is exactly what clients were told.
"""
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.request

base, cafile, user, password, logpath, stopfile = sys.argv[1:7]
name = sys.argv[7] if len(sys.argv) > 7 else "w"
ctx = ssl.create_default_context(cafile=cafile)
log = open(logpath, "a", buffering=1)


def call(method, path, body, token=None):
    data = json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=20) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        try:
            return e.code, json.loads(e.read() or b"{}")
        except ValueError:
            return e.code, {}
    except (OSError, ValueError):
        return 0, {}


def record(op, status, ident):
    log.write(json.dumps({"w": name, "t": time.time(), "op": op,
                          "status": status, "id": ident}) + "\n")


token = None
while token is None and not os.path.exists(stopfile):
    status, body = call("POST", "/api/v1/auth/login",
                        {"username": user, "password": password})
    record("login", status, None)
    if status == 200:
        token = body.get("token")
    else:
        time.sleep(0.5)

n = 0
while not os.path.exists(stopfile):
    n += 1
    status, body = call("POST", "/api/v1/cases", {
        "given_name": "Writer%s" % name,
        "family_name": "Failover%d" % n,
        "date_of_birth": "1940-02-03",
        "sex": "female",
        "date_of_death": "2026-11-10",
        "place_of_death": "hospital",
        "attending_practitioner": {"name": "Dr Attending",
                                   "gmc_number": "7654321"},
        "notified_at": "2026-11-10T12:00:00Z"}, token)
    cid = body.get("id") if 200 <= status < 300 else None
    record("case", status, cid)
    if cid:
        text = "note-%d-of-writer-%s" % (n, name)
        status, body = call("POST", "/api/v1/cases/%s/notes" % cid, {
            "kind": "officer_summary", "text": text}, token)
        # The answer is the case; the note is known by its text.
        record("note", status, text if 200 <= status < 300 else None)
    time.sleep(0.1)
