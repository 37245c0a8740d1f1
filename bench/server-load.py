#!/usr/bin/env python3
"""Load for CodeRunner.Server's benchmark lines (run by bench/run).

usage: server-load.py N REPS METERED_URL METERED_TOKEN OFF_URL OFF_TOKEN

Two servers run side by side, one metered and one with --billing off; the load alternates between them, a quarter
of a repetition each in turn, so both see the same machine (others' load drifts within seconds). 16 concurrent
clients each POST `print(1)` in Python with wait=true over keep-alive connections. Every repetition prints `sample`
lines: submissions per second, the server process's own CPU per submission (as the server reads it, in
microseconds: the sandboxes are its children and are not counted), and for the metered one the p50 time inside the
guard's calls that the server measured in-process (both from /_server/stats).
"""
import http.client
import json
import sys
import threading
import time
from urllib.parse import urlparse

n, reps = int(sys.argv[1]), int(sys.argv[2])
servers = {
    "metered": (urlparse(sys.argv[3]), sys.argv[4]),
    "off": (urlparse(sys.argv[5]), sys.argv[6]),
}
CALLERS = 16
BODY = json.dumps({"language_id": 71, "source_code": "print(1)"})


def server_cpu_seconds(target, token):
    """The server's own CPU time (its children, the sandboxes, excluded), in microseconds from /_server/stats: the
    /proc/PID/stat ticks (10 ms) were as coarse as the difference measured."""
    control = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    _, stats = call(control, token, "GET", "/_server/stats")
    control.close()
    return json.loads(stats)["process_cpu_us"] / 1e6


def call(connection, token, method, path, body=None):
    connection.request(method, path, body=body, headers={"X-Auth-Token": token, "Content-Type": "application/json"})
    response = connection.getresponse()
    return response.status, response.read()


def run(target, token, total):
    remaining = [total]
    failures = [0]
    lock = threading.Lock()

    def worker():
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
        while True:
            with lock:
                if remaining[0] == 0:
                    break
                remaining[0] -= 1
            status, _ = call(connection, token, "POST", "/submissions?base64_encoded=false&wait=true&fields=status_id", BODY)
            if status != 201:
                with lock:
                    failures[0] += 1
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(CALLERS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started, failures[0]


def jit_methods(target, token):
    control = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    _, stats = call(control, token, "GET", "/_server/stats")
    control.close()
    return json.loads(stats)["jit_methods"]


# Warm-up until the JIT has settled on both servers: tiered compilation goes on for many submissions (the metered
# path has more to compile), and its CPU would otherwise be counted as the cost of metering. Rounds of N/2
# submissions each, until a round compiles fewer than 20 methods on both, at most 10 rounds.
for round_number in range(1, 11):
    compiled = {}
    for mode, (target, token) in servers.items():
        before = jit_methods(target, token)
        run(target, token, max(50, n // 2))
        compiled[mode] = jit_methods(target, token) - before
    if all(count < 20 for count in compiled.values()):
        print(f"server-load: warmed up after {round_number} rounds ({compiled})", file=sys.stderr)
        break
else:
    print(f"server-load: the JIT was still compiling after 10 warm-up rounds ({compiled})", file=sys.stderr)
# Within a repetition the load alternates between the servers in chunks of N/4 submissions, so a change in the
# machine's load during the repetition (other tenants' bursts last seconds) falls on both, not on one of them.
CHUNKS = 4
for _ in range(reps):
    totals = {mode: [0.0, 0.0, 0] for mode in servers}  # elapsed seconds, CPU seconds, failures
    for mode, (target, token) in servers.items():
        control = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        call(control, token, "POST", "/_server/stats/reset")
        control.close()
    for chunk in range(CHUNKS):
        size = n // CHUNKS + (1 if chunk < n % CHUNKS else 0)
        for mode, (target, token) in servers.items():
            cpu_before = server_cpu_seconds(target, token)
            elapsed, failures = run(target, token, size)
            totals[mode][0] += elapsed
            totals[mode][1] += server_cpu_seconds(target, token) - cpu_before
            totals[mode][2] += failures
    for mode, (target, token) in servers.items():
        elapsed, cpu, failures = totals[mode]
        if failures:
            print(f"server-load ({mode}): {failures} of {n} submissions were not accepted", file=sys.stderr)
        print(f"sample server_{mode}_submissions_per_s {n / elapsed:.1f}")
        print(f"sample server_{mode}_cpu_us_per_submission {cpu * 1e6 / n:.0f}")
        if mode == "metered":
            control = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            _, stats = call(control, token, "GET", "/_server/stats")
            control.close()
            stats = json.loads(stats)
            print(f"sample server_metering_added_p50_us {stats['guard_p50_us']}")
            print(f"server-load: inside the guard, p50 {stats['guard_p50_us']} us: authorize {stats['guard_authorize_p50_us']} us, "
                  f"complete {stats['guard_complete_p50_us']} us", file=sys.stderr)
        sys.stdout.flush()
