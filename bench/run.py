#!/usr/bin/env python3
"""The load of `make bench` (bench/bench.sh starts the cluster and Kore).

For each endpoint: one request with PostgreSQL's statement log on, to
count its database round trips and capture the exact SQL and parameters
the server sent; then wrk against the server (BENCH_CONNECTIONS, for
BENCH_SECONDS, --latency) and pgbench running that same SQL (-M
prepared, same concurrency and duration) as medex_app.  Prints one table
and writes bench/results/<time>-<cases>.json.

pgbench picks the token context and case of each call from a small table
bench.targets (one primary-key lookup in a LATERAL join), so that its
calls spread over the same cases and users as wrk's.
"""
import base64
import json
import os
import platform
import random
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ["BENCH_DATA"]
PORT = int(os.environ["BENCH_PORT"])
PGPORT = os.environ["PGPORT"]
SECS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
NOFF = int(os.environ.get("BENCH_OFFICES", "16"))
ONLY = os.environ.get("BENCH_ONLY", "").split()
EXPORT_CONNS = int(os.environ.get("BENCH_EXPORT_CONNECTIONS", "2"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "5"))
# Runs of wrk for each row that reads (the rows of REPEATED): this
# machine's speed moves from one run to the next by more than a change
# can show in one (docs/benchmark.md, "The spread of a run"), so a row
# may be the median of several, each run's req/s kept beside it.
RUNS = max(1, int(os.environ.get("BENCH_RUNS", "1")))
REPEATED = ("case_read", "case_read_any", "case_page", "overdue",
            "search_nhs", "search_name")
LIVE_DAYS = int(os.environ.get("BENCH_LIVE_DAYS", "90"))
# Offered rates (requests a second, all connections together) at which
# the case read is also measured paced, below what the machine can serve:
# DOMAIN.md puts the national peak near 100 requests a second.
PACED = [int(x) for x in os.environ.get("BENCH_PACED_RATES",
                                        "100 200 400").split()]
BASE = "http://127.0.0.1:%d" % PORT
WORK = os.path.join(DATA, "load")
os.makedirs(WORK, exist_ok=True)
random.seed(8)


def secret(name):
    with open(os.path.join(DATA, "secrets", name)) as f:
        return f.read().strip()


def psql(sql, user="medex_owner", pw="db_owner", db="medex"):
    env = dict(os.environ, PGPASSWORD=secret(pw))
    out = subprocess.run(
        ["psql", "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
         "-h", "127.0.0.1", "-p", PGPORT, "-U", user, "-d", db],
        input=sql, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        sys.exit("bench: psql failed: " + out.stderr)
    return [l.split("\t") for l in out.stdout.splitlines() if l != ""]


def su(sql):
    return psql(sql, "postgres", "pg_superuser", "medex")


def http(method, path, body=None, headers=None):
    req = urllib.request.Request(BASE + path, method=method,
                                 data=None if body is None else
                                 json.dumps(body).encode())
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


def login(user):
    st, body, _ = http("POST", "/api/v1/auth/login",
                       {"username": user, "password": secret("bench-password")})
    if st != 200:
        sys.exit("bench: login of %s: %d %s" % (user, st, body))
    tok = json.loads(body)["token"]
    p = tok.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
    return {"token": tok, "jti": claims["jti"], "sub": claims["sub"],
            "role": claims["role"], "office": claims["office"]}


# --- who and what --------------------------------------------------------

def office_rows(code, sql):
    return psql("SELECT set_config('medex.office_id', "
                "(SELECT id FROM offices WHERE code = '%s')::text, false);\n"
                "%s" % (code, sql))[1:]


def pick_cases(users, where):
    out = []
    for u in users:
        rows = office_rows(u["office"],
                           "SELECT id, coalesce(nhs_number, '') FROM cases "
                           "WHERE %s ORDER BY random() LIMIT 2000;" % where)
        for cid, nhs in rows:
            out.append((u, cid, nhs))
    random.shuffle(out)
    return out


def write_targets(reads, tsv, table):
    """wrk's list of (token, case, NHS number) and pgbench's view of the
    same, bench.<table> (k, jti, sub, role, office, case_id, nhs)."""
    with open(os.path.join(WORK, tsv), "w") as f:
        for u, cid, nhs in reads:
            f.write("%s\t%s\t%s\n" % (u["token"], cid, nhs or "9990000000"))
    vals = ",\n".join("(%d, '%s', '%s', '%s', '%s', '%s', %s)" % (
        k + 1, u["jti"], u["sub"], u["role"], u["office"], cid,
        "'%s'" % nhs if nhs else "NULL") for k, (u, cid, nhs) in
        enumerate(reads))
    psql("""CREATE TABLE bench.%s (k integer PRIMARY KEY, jti text,
    sub text, role text, office text, case_id text, nhs text);
INSERT INTO bench.%s VALUES %s;
GRANT SELECT ON bench.%s TO medex_app;
ANALYZE bench.%s;""" % (table, table, vals, table, table))


def prepare():
    users = []
    for i in range(1, NOFF + 1):
        u = login("bench.lead.me%03d" % i)
        users.append(u)
    nat = login("bench.national")
    # Two sets of cases to read.  The live caseload: cases notified in
    # the last BENCH_LIVE_DAYS days (90), the ones an office works on
    # (scrutiny, the bereaved, referrals, the MCCD), which every per-case
    # endpoint reads.  And any case of the years kept, drawn evenly: a
    # whole-case read of an old closed case is rare (an audit, a
    # complaint), but its cost is shown too (case_read_any).  At 10k
    # cases, one week of deaths, the two are the same set.
    reads = pick_cases(users, "notified_at > now() - interval '%d days'"
                       % LIVE_DAYS)
    reads_any = pick_cases(users, "true")
    psql("""DROP SCHEMA IF EXISTS bench CASCADE; CREATE SCHEMA bench;
GRANT USAGE ON SCHEMA bench TO medex_app;
CREATE TABLE bench.cycle (k integer PRIMARY KEY, jti text, sub text,
    role text, office text, case_id text);
GRANT SELECT ON bench.cycle TO medex_app;""")
    write_targets(reads, "read.tsv", "targets")
    write_targets(reads_any, "read-any.tsv", "targets_any")
    return users, nat, reads, reads_any


def cycle_cases(users):
    """Cases that can go round mccd_issued -> in_scrutiny ->
    awaiting_mccd -> mccd_issued (their guards are met), as they are now.
    A case that a run left in_scrutiny with its MCCD date still set came
    round this cycle (the generator's in_scrutiny cases have none), so it
    goes on; without it, every run left up to 64 cases there, and at 10k
    the cycle ran out of cases and sent the same ones twice at once
    (412s)."""
    out = []
    for u in users:
        for cid, ver, st in office_rows(
                u["office"], "SELECT id, version, state FROM cases WHERE "
                "state IN ('mccd_issued', 'awaiting_mccd') OR (state = "
                "'in_scrutiny' AND mccd_issued_on IS NOT NULL) ORDER BY id;"):
            out.append((u, cid, int(ver), st))
    random.shuffle(out)
    return out


# --- round trips and the SQL the server sends ------------------------------

PARAM = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')")


def capture(method, path, body=None, headers=None):
    """One request with log_statement = all: the statements medex sent
    (each a round trip) and their parameters."""
    log = os.path.join(DATA, "pg.log")
    start = os.path.getsize(log)
    st, rbody, rh = http(method, path, body, headers)
    time.sleep(0.3)
    with open(log, errors="replace") as f:
        f.seek(start)
        text = f.read()
    stmts = []
    lines = text.splitlines()
    for i, l in enumerate(lines):
        m = re.search(r"\] medex LOG:  (?:execute [^:]*|statement): (.*)$", l)
        if not m:
            continue
        sql = m.group(1)
        # The server's own timer (the views' chain, worker 1, every
        # second) is no statement of this request: counted, it made a
        # request two round trips and pgbench replay the timer's call.
        if "case_views_chain" in sql:
            continue
        params = {}
        if i + 1 < len(lines) and "DETAIL:  parameters:" in lines[i + 1]:
            for n, v in PARAM.findall(lines[i + 1]):
                params[int(n)] = None if v == "NULL" else \
                    v[1:-1].replace("''", "'")
        stmts.append((sql, params))
    return st, rbody, rh, stmts


def lit(v):
    return "NULL" if v is None else "'" + v.replace("'", "''") + "'"


def pgbench_sql(sql, params, subst, table="bench.targets", key=":k"):
    """The captured statement with its parameters as literals, the
    context ($1-$4) and the varying ones taken from the targets row."""
    ctx = {1: "t.jti", 2: "t.sub", 3: "t.role", 4: "t.office"}
    ctx.update(subst)

    def rep(m):
        n = int(m.group(1))
        return ctx[n] if n in ctx else lit(params.get(n))
    body = re.sub(r"\$(\d+)", rep, sql)
    return ("SELECT r.* FROM %s t, LATERAL (%s) r WHERE t.k = %s"
            % (table, body, key))


# --- runners ---------------------------------------------------------------

def ms(v, unit):
    return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def kore_cpu_seconds():
    """User + system CPU seconds of the Kore server's processes (the
    process bench.sh started, BENCH_KORE_PID, and its workers), or None.
    Per request it is what medex itself spends, whatever else the
    machine runs: the figure that stays comparable on a shared machine
    where requests per second do not."""
    top = os.environ.get("BENCH_KORE_PID")
    if not top:
        return None
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                st = f.read()
        except OSError:
            continue
        # The fields after the command's closing parenthesis.
        fields = st[st.rindex(")") + 2:].split()
        if pid == top or fields[1] == top:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def run_wrk(name, lua, path, args=(), conns=None, warmup=True, rate=None):
    conns = conns or CONNS
    env = dict(os.environ)
    env.pop("BENCH_PACE_MS", None)
    if rate:
        # Each connection's mean wait, so that together they offer `rate`.
        env["BENCH_PACE_MS"] = "%.3f" % (1000.0 * conns / rate)
    if WARMUP > 0 and warmup:
        # Unmeasured: the same load first, so that the figures are of a
        # server and a cache in their steady state, not of a cold start.
        subprocess.run(
            ["wrk", "-t%d" % min(2, conns), "-c%d" % conns,
             "-d%ds" % WARMUP, "--timeout", "30s", "-s",
             os.path.join(ROOT, "bench", lua), BASE + path, "--"] +
            list(args), capture_output=True, text=True, env=env)
    runs = []
    for i in range(RUNS if name in REPEATED else 1):
        cpu0 = kore_cpu_seconds()
        out = subprocess.run(
            ["wrk", "-t%d" % min(2, conns), "-c%d" % conns, "-d%ds" % SECS,
             "--latency", "--timeout", "30s", "-s",
             os.path.join(ROOT, "bench", lua), BASE + path, "--"] +
            list(args), capture_output=True, text=True, env=env)
        cpu1 = kore_cpu_seconds()
        with open(os.path.join(WORK, name + ".wrk.txt"),
                  "a" if i else "w") as f:
            f.write(out.stdout + out.stderr)
        runs.append(wrk_figures(out.stdout, cpu0, cpu1))
    # The median run by req/s (of an even number, the lower of the two
    # middle ones), whole: its latencies are of the same run.
    r = sorted(runs, key=lambda x: x["rps"])[(len(runs) - 1) // 2]
    if len(runs) > 1:
        r["runs_rps"] = [x["rps"] for x in runs]
    return r


def wrk_figures(t, cpu0, cpu1):
    """One wrk run's figures from its output, and medex's CPU per request
    from the workers' CPU seconds before and after."""
    r = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", t)
    r["rps"] = float(m.group(1)) if m else 0.0
    for p in ("50", "75", "90", "99"):
        m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s|m)\s*$" % p, t, re.M)
        r["p" + p] = ms(*m.groups()) if m else None
    m = re.search(r"Latency\s+([\d.]+)(us|ms|s|m)\s+([\d.]+)(us|ms|s|m)\s+"
                  r"([\d.]+)(us|ms|s|m)", t)
    r["max"] = ms(m.group(5), m.group(6)) if m else None
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", t)
    r["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"(\d+) requests in", t)
    r["requests"] = int(m.group(1)) if m else 0
    r["kore_cpu_us"] = (1e6 * (cpu1 - cpu0) / r["requests"]
                        if cpu0 is not None and r["requests"] else None)
    m = re.search(r"Socket errors: (.*)", t)
    r["socket_errors"] = m.group(1) if m else None
    return r


def run_pgbench(name, script, defines=(), conns=None, rate=None):
    conns = conns or CONNS
    path = os.path.join(WORK, name + ".pgbench.sql")
    with open(path, "w") as f:
        f.write(script)
    env = dict(os.environ, PGPASSWORD=secret("db_app"))
    cmd = ["pgbench", "-n", "-M", "prepared", "-c", str(conns), "-j",
           str(min(2, conns)),
           "-T", str(SECS), "-h", "127.0.0.1", "-p", PGPORT, "-U",
           "medex_app", "-f", path]
    for d in defines:
        cmd += ["-D", d]
    if rate:
        cmd += ["-R", str(rate)]
    # Every transaction's latency, to set pgbench's own tail beside wrk's.
    logp = os.path.join(WORK, name + ".pgbench-log")
    for f in os.listdir(WORK):
        if f.startswith(name + ".pgbench-log"):
            os.remove(os.path.join(WORK, f))
    cmd += ["-l", "--log-prefix", logp]
    out = subprocess.run(cmd + ["medex"], capture_output=True, text=True,
                         env=env, cwd=WORK)
    done = []
    for f in os.listdir(WORK):
        if f.startswith(name + ".pgbench-log"):
            with open(os.path.join(WORK, f)) as fh:
                for l in fh:
                    parts = l.split()
                    if len(parts) < 6 or not parts[2].isdigit():
                        continue
                    # Paced (-R), "time" counts from the scheduled start;
                    # less the lag (column 7) it counts from the send, as
                    # wrk's does.
                    t = int(parts[2])
                    if rate and len(parts) >= 7:
                        t -= int(parts[6])
                    done.append((int(parts[4]) + int(parts[5]) / 1e6,
                                 t / 1000.0))
    # pgbench has no warm-up: its first second is 64 new backends each
    # loading the catalogue and compiling the PL/pgSQL functions (up to
    # 700 ms a call), which medex's pool did in wrk's warm-up.  The
    # percentiles leave that second out; the TPS is pgbench's own.
    start = min(d[0] for d in done) if done else 0
    lat = sorted(t for end, t in done if end >= start + 1.0)
    pct = {}
    for q in (50, 99):
        pct["p%d" % q] = lat[min(len(lat) - 1, len(lat) * q // 100)] \
            if lat else None
    with open(os.path.join(WORK, name + ".pgbench.txt"), "w") as f:
        f.write(out.stdout + out.stderr)
    m = re.search(r"tps = ([\d.]+) \(without initial", out.stdout)
    avg = re.search(r"latency average = ([\d.]+) ms", out.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", out.stdout)
    if not m:
        print("bench: pgbench %s failed:\n%s" % (name, out.stderr[-2000:]))
    return {"tps": float(m.group(1)) if m else 0.0,
            "latency_avg": float(avg.group(1)) if avg else None,
            "p50": pct["p50"], "p99": pct["p99"],
            "failed": int(failed.group(1)) if failed else None}


def export_single(nat, month, stamp):
    """The national export one request at a time: medex over HTTP against
    its bare aggregate SQL (export_raw for every office, run by the owner
    with the export policy on), each the median of five runs after one
    warm-up; and that SQL's plan, written beside the results."""
    path = "/api/v1/exports/monthly?month=%s&format=csv" % month
    hdr = {"Authorization": "Bearer " + nat["token"]}
    times = []
    for i in range(6):
        t = time.perf_counter()
        st, _, _ = http("GET", path, headers=hdr)
        if st != 200:
            return None
        if i:
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    http_ms = times[len(times) // 2]
    call = ("SELECT length(export_raw('%s', (SELECT array_agg(id) "
            "FROM offices))::text);\n" % month)
    env = dict(os.environ, PGPASSWORD=secret("db_owner"))
    out = subprocess.run(
        ["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
         "-p", PGPORT, "-U", "medex_owner", "-d", "medex"],
        input="SET medex.export = 'on';\n\\timing on\n" + call * 6,
        capture_output=True, text=True, env=env)
    sql_times = sorted(float(m) for m in re.findall(
        r"^Time: ([\d.]+) ms", out.stdout, re.M)[1:])
    if len(sql_times) < 5:
        print("bench: bare export SQL failed: " + out.stderr[-500:])
        return None
    sql_ms = sql_times[len(sql_times) // 2]
    # The plan of the function's own statement, prepared with its two
    # parameters (a SQL function with CTEs is not inlined, so EXPLAIN of
    # the call would show only the call).
    # export_raw is PL/pgSQL (migration 0009): its one statement runs
    # between BEGIN and RETURN, with the month's bounds as v_t0, v_t1.
    body = psql("SELECT prosrc FROM pg_proc WHERE proname = 'export_raw'")
    src = "\n".join("\t".join(r) for r in body)
    src = src[src.index("WITH notified"):src.index("RETURN v_out")]
    src = src.strip().rstrip(";").replace("INTO v_out", "")
    for name, n in (("p_month", 1), ("p_offices", 2), ("v_t0", 3),
                    ("v_t1", 4)):
        src = re.sub(r"\b%s\b" % name, "$%d" % n, src)
    plan = subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
         "-p", PGPORT, "-U", "medex_owner", "-d", "medex"],
        input="SET medex.export = 'on';\n"
        "SELECT array_agg(id)::text AS ids, ('%s-01'::timestamp AT TIME "
        "ZONE 'Europe/London')::text AS t0, (('%s-01'::date + interval "
        "'1 month')::timestamp AT TIME ZONE 'Europe/London')::text AS t1 "
        "FROM offices \\gset\n"
        "PREPARE x(text, bigint[], timestamptz, timestamptz) AS %s;\n"
        "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE x('%s', :'ids', "
        ":'t0', :'t1');\n" % (month, month, src, month),
        capture_output=True, text=True, env=env)
    plan_file = os.path.join(ROOT, "bench", "results",
                             stamp + "-export-plan.txt")
    with open(plan_file, "w") as f:
        f.write(plan.stdout + plan.stderr)
    seq = sorted(set(re.findall(r"Seq Scan on (\w+)", plan.stdout)))
    return {"month": month, "http_ms_median": http_ms,
            "sql_ms_median": sql_ms, "ratio": http_ms / sql_ms,
            "http_ms": times, "sql_ms": sql_times,
            "plan": os.path.relpath(plan_file, ROOT),
            "seq_scans": seq}


def kore_conf(key):
    """A setting as the running server has it (its generated medex.conf)."""
    with open(os.path.join(DATA, "medex.conf")) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2 and parts[0] == key:
                return parts[1]
    return None


def want(name):
    return not ONLY or name in ONLY


def main():
    users, nat, reads, reads_any = prepare()
    u0, cid0, nhs0 = reads[0]
    bearer = {"Authorization": "Bearer " + u0["token"]}
    su("ALTER SYSTEM SET log_statement = 'all'; SELECT pg_reload_conf();")
    time.sleep(0.5)
    results = []
    caps = {}
    try:
        caps["case_read"] = capture("GET", "/api/v1/cases/" + cid0,
                                    headers=bearer)
        caps["case_page"] = capture("GET", "/cases/" + cid0, headers={
            "Cookie": "medex_session=" + u0["token"]})
        if caps["case_page"][0] == 404:
            caps["case_page"] = capture("GET", "/cases", headers={
                "Cookie": "medex_session=" + u0["token"]})
            page_path = "/cases"
        else:
            page_path = "/cases/{id}"
        caps["overdue"] = capture("GET", "/api/v1/cases?overdue=true",
                                  headers=bearer)
        caps["search_nhs"] = capture("GET", "/api/v1/cases?q=" + (
            nhs0 or "9990000000"), headers=bearer)
        # Issue 18: a name as staff type it, surname first (one range
        # per word in the btree of case_search_words, migration 0031);
        # two common words of generate.sql's names, a full name as rare
        # as among real deaths (a few in a large office's ten years).
        caps["search_name"] = capture(
            "GET", "/api/v1/cases?q=Hughes%20Patricia", headers=bearer)
        body = create_body(NHS_SAMPLE)
        caps["create"] = capture("POST", "/api/v1/cases", body, bearer)
        # One full cycle on a case of any bench office: its three
        # transitions' SQL.
        cyc = [c for c in cycle_cases(users) if c[3] == "mccd_issued"]
        tx = []
        if cyc:
            u, cid, ver, st = cyc[0]
            h = {"Authorization": "Bearer " + u["token"]}
            for to, extra in (("in_scrutiny", {"reason": "New information"}),
                              ("awaiting_mccd", {}),
                              ("mccd_issued", {"mccd_issued_on": today()})):
                h["If-Match"] = '"%d"' % ver
                c = capture("POST", "/api/v1/cases/%s/transitions" % cid,
                            dict({"to": to}, **extra), dict(h))
                tx.append(c)
                ver += 1
        caps["transition"] = tx
        month = time.strftime("%Y-%m", time.gmtime(time.time() - 32 * 86400))
        caps["export"] = capture(
            "GET", "/api/v1/exports/monthly?month=%s&format=csv" % month,
            headers={"Authorization": "Bearer " + nat["token"]})
    finally:
        su("ALTER SYSTEM RESET log_statement; SELECT pg_reload_conf();")
    time.sleep(0.5)

    for k, v in caps.items():
        for c in (v if k == "transition" else [v]):
            if not c[3] and c[0] != 404:
                print("bench: %s answered %d with no SQL: %s" % (
                    k, c[0], c[1][:300]))
    trips = {k: (len(v[3]) if k != "transition" else
                 (len(v[0][3]) if v else 0)) for k, v in caps.items()}
    statuses = {k: (v[0] if k != "transition" else
                    [c[0] for c in v]) for k, v in caps.items()}
    # The same request as case_read, on other cases.
    trips["case_read_any"] = trips.get("case_read")
    statuses["case_read_any"] = statuses.get("case_read")

    def row(name, label, w, p, stmts_per_tx=1):
        rps = w["rps"]
        pg = p["tps"] * stmts_per_tx if p else None
        r = {"endpoint": name, "label": label, "wrk": w, "pgbench": p,
             "pgbench_statements_per_s": pg,
             "ratio": (rps / pg) if pg else None,
             "round_trips": trips.get(name), "status": statuses.get(name)}
        results.append(r)
        show(r)

    read_sql, read_params = (caps["case_read"][3] or [("", {})])[-1]
    if want("case_read") and caps["case_read"][3]:
        w = run_wrk("case_read", "read.lua", "/api/v1/cases/",
                    [os.path.join(WORK, "read.tsv"), "json"])
        p = run_pgbench("case_read", "\\set k random(1, %d)\n%s;\n" % (
            len(reads), pgbench_sql(read_sql, read_params, {7: "t.case_id"})))
        row("case_read", "GET /api/v1/cases/{id}", w, p)
    if want("case_read_any") and caps["case_read"][3]:
        w = run_wrk("case_read_any", "read.lua", "/api/v1/cases/",
                    [os.path.join(WORK, "read-any.tsv"), "json"])
        p = run_pgbench("case_read_any", "\\set k random(1, %d)\n%s;\n" % (
            len(reads_any), pgbench_sql(read_sql, read_params,
                                        {7: "t.case_id"},
                                        table="bench.targets_any")))
        row("case_read_any", "GET /api/v1/cases/{id}, any year", w, p)
    if want("case_page") and caps["case_page"][3]:
        w = run_wrk("case_page", "read.lua", page_path.replace("{id}", ""),
                    [os.path.join(WORK, "read.tsv"),
                     "page" if "{id}" in page_path else "pagelist"])
        # The page's SQL: every statement the request made, in order.
        script = "\\set k random(1, %d)\n" % len(reads)
        for sql, params in caps["case_page"][3]:
            # Every call of the batch that names the case (the read and
            # its trail), not only the first: else pgbench reads one
            # case's trail each time.
            ids = {n: "t.case_id" for n, v in params.items()
                   if v == cid0} if "{id}" in page_path else {}
            script += pgbench_sql(sql, params, ids) + ";\n"
        p = run_pgbench("case_page", script)
        row("case_page", "GET %s (HTML)" % page_path, w, p)
    if want("overdue") and caps["overdue"][3]:
        sql, params = caps["overdue"][3][-1]
        w = run_wrk("overdue", "read.lua", "/api/v1/cases?overdue=true",
                    [os.path.join(WORK, "read.tsv"), "fixed"])
        p = run_pgbench("overdue", "\\set k random(1, %d)\n%s;\n" % (
            len(reads), pgbench_sql(sql, params, {})))
        row("overdue", "GET /api/v1/cases?overdue=true", w, p)
    if want("search_nhs") and caps["search_nhs"][3]:
        sql, params = caps["search_nhs"][3][-1]
        # $11 is p_q (after the six context parameters: limit, cursor,
        # state, examiner, officer, unassigned, overdue, priority, q).
        qn = [n for n, v in params.items() if v and re.fullmatch(
            r"\d{10}", v)]
        w = run_wrk("search_nhs", "read.lua", "/api/v1/cases?q=",
                    [os.path.join(WORK, "read.tsv"), "search"])
        p = run_pgbench("search_nhs", "\\set k random(1, %d)\n%s;\n" % (
            len(reads), pgbench_sql(sql, params, {qn[0]: "t.nhs"}
                                    if qn else {})))
        row("search_nhs", "GET /api/v1/cases?q={nhs}", w, p)
    if want("search_name") and caps["search_name"][3]:
        sql, params = caps["search_name"][3][-1]
        w = run_wrk("search_name", "read.lua",
                    "/api/v1/cases?q=Hughes%20Patricia",
                    [os.path.join(WORK, "read.tsv"), "fixed"])
        p = run_pgbench("search_name", "\\set k random(1, %d)\n%s;\n" % (
            len(reads), pgbench_sql(sql, params, {})))
        row("search_name", "GET /api/v1/cases?q=Hughes Patricia", w, p)
    if want("create") and caps["create"][3]:
        sql, params = caps["create"][3][-1]
        dn = [n for n, v in params.items() if v and v.startswith("{")]
        subst = {}
        if dn:
            data = params[dn[0]]
            # As create.lua: a date of birth drawn from 80 years.
            subst[dn[0]] = "(" + lit(data).replace(
                NHS_SAMPLE, "' || :nhs || '").replace(
                DOB_SAMPLE, "' || (current_date - :dob::integer)::text || '") + ")"
        script = NHS_PGBENCH + "\\set dob random(7300, 36500)\n" + \
            "\\set k random(1, %d)\n%s;\n" % (
            len(reads), pgbench_sql(sql, params, subst))
        w = run_wrk("create", "create.lua", "/api/v1/cases",
                    [os.path.join(WORK, "read.tsv")])
        p = run_pgbench("create", script)
        row("create", "POST /api/v1/cases", w, p)
    if want("transition") and caps["transition"]:
        cyc = cycle_cases(users)
        with open(os.path.join(WORK, "cycle.tsv"), "w") as f:
            for u, cid, ver, st in cyc:
                f.write("%s\t%s\t%d\t%s\n" % (u["token"], cid, ver, st))
        # No warm-up: it would move the cases on from the states and
        # versions in cycle.tsv, and every measured request would be 412.
        w = run_wrk("transition", "transition.lua", "/api/v1/cases/",
                    [os.path.join(WORK, "cycle.tsv")], warmup=False)
        # pgbench: each client owns one mccd_issued case and takes it
        # round the three transitions per transaction, If-Match from the
        # previous answer's version.
        cyc = [c for c in cycle_cases(users) if c[3] == "mccd_issued"]
        vals = ",".join("(%d, '%s', '%s', '%s', '%s', '%s')" % (
            k + 1, u["jti"], u["sub"], u["role"], u["office"], cid)
            for k, (u, cid, ver, st) in enumerate(cyc[:CONNS]))
        psql("TRUNCATE bench.cycle; INSERT INTO bench.cycle VALUES %s;"
             % vals)
        script = "\\set c :client_id + 1\n\\if :v = 0\n%s \\gset\n\\endif\n" % (
            pgbench_sql(read_sql, read_params, {7: "t.case_id"},
                        "bench.cycle", ":c").replace(
                "SELECT r.*", "SELECT r.etag AS v"))
        for sql, params in [c[3][-1] for c in caps["transition"]]:
            script += pgbench_sql(sql, params, {7: "t.case_id", 9: ":v"},
                                  "bench.cycle", ":c").replace(
                "SELECT r.*", "SELECT r.etag AS v") + " \\gset\n"
        p = run_pgbench("transition", script, ["v=0"])
        row("transition", "POST /api/v1/cases/{id}/transitions", w, p, 3)
    if want("export") and caps["export"][0] == 200:
        # The national analyst's export of every office: pgbench with
        # that analyst's own context, not the targets' lead MEs (whose
        # export is their one office).  A national export is a monthly
        # job, not 64 at once: both run at EXPORT_CONNS.
        sql, params = caps["export"][3][-1]
        nat_ctx = {n: lit(params.get(n)) for n in (1, 2, 3, 4)}
        w = run_wrk("export", "read.lua", caps["export"][1] and
                    "/api/v1/exports/monthly?format=csv&month=" + month,
                    [os.path.join(WORK, "read.tsv"), "national:" +
                     nat["token"]], EXPORT_CONNS)
        p = run_pgbench("export", "\\set k random(1, %d)\n%s;\n" % (
            len(reads), pgbench_sql(sql, params, nat_ctx)),
            conns=EXPORT_CONNS)
        row("export", "GET /api/v1/exports/monthly (CSV, national, "
            "%d connections)" % EXPORT_CONNS, w, p)

    for rate in PACED:
        # The same read offered at a set rate: latency without the queue
        # that 64 connections asking as fast as they can build up.  Last,
        # so that the rows above are measured as before these were added.
        name = "case_read_at_%d" % rate
        if not (want(name) or want("case_read_paced")) or \
                not caps["case_read"][3]:
            continue
        trips[name] = trips.get("case_read")
        statuses[name] = statuses.get("case_read")
        w = run_wrk(name, "read.lua", "/api/v1/cases/",
                    [os.path.join(WORK, "read.tsv"), "json"], rate=rate)
        p = run_pgbench(name, "\\set k random(1, %d)\n%s;\n" % (
            len(reads), pgbench_sql(read_sql, read_params, {7: "t.case_id"})),
            rate=rate)
        row(name, "GET /api/v1/cases/{id}, offered %d/s" % rate, w, p)

    gen = open(os.path.join(DATA, "generated")).read().split()
    stamp = "%s-%s" % (time.strftime("%Y%m%dT%H%M%S"), gen[0])
    ssql = same_sql()
    single = None
    if want("export") and caps["export"][0] == 200:
        single = export_single(nat, month, stamp)
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine(),
        "config": {"workers": kore_conf("workers"),
                   "pgsql_conn_max": kore_conf("pgsql_conn_max"),
                   "pgsql_queue_limit": kore_conf("pgsql_queue_limit"),
                   "connections": CONNS, "seconds": SECS,
                   "warmup_seconds": WARMUP, "runs": RUNS},
        "dataset": {"cases": int(gen[0]), "generate_seconds": float(gen[1]),
                    "database_bytes": int(gen[2]),
                    "case_events": int(gen[4]) if len(gen) > 4 else None},
        "export_single": single,
        "round_trips": trips, "capture_status": statuses,
        "export_status": statuses.get("export"),
        "results": results, "same_sql": ssql}
    report["targets"] = targets(report)
    name = stamp + ".json"
    with open(os.path.join(ROOT, "bench", "results", name), "w") as f:
        json.dump(report, f, indent=2)
    print()
    print_table(report)
    print("\nround trips per request:", ", ".join(
        "%s %s" % kv for kv in trips.items()))
    if single:
        print("national export, one at a time (median of 5): medex %.1f ms, "
              "bare SQL %.1f ms, ratio %.2f; sequential scans in the plan: "
              "%s; plan: %s" % (single["http_ms_median"],
                                single["sql_ms_median"], single["ratio"],
                                ", ".join(single["seq_scans"]) or "none",
                                single["plan"]))
    if statuses.get("export") != 200:
        print("export: GET /api/v1/exports/monthly answered %s: not "
              "benchmarked" % statuses.get("export"))
    print_same_sql(ssql)
    print_targets(report["targets"])
    print("results: bench/results/" + name)


# The peers of issue 21 (a Go and a Flask server making medex's own SQL
# call) live beside the repository, never in it: measured when
# ../shared/peers/ is there, skipped with a note when it is not.
PEERS = os.path.join(os.path.dirname(ROOT), "shared", "peers")
PEER_PKGS = {"gunicorn": "gunicorn python3-flask python3-psycopg2 "
             "python3-jwt python3-argon2 python3-cryptography",
             "/usr/lib/go-1.19/bin/go": "golang-1.19 "
             "golang-github-jackc-pgx-v4-dev "
             "golang-github-golang-jwt-jwt-dev golang-golang-x-crypto-dev"}


def peer_tools():
    """Install what same-sql.sh needs (its README's list) when missing:
    bench-only, as bench.sh does for wrk."""
    missing = []
    for tool, pkgs in PEER_PKGS.items():
        found = os.path.exists(tool) if tool.startswith("/") else \
            subprocess.run(["sh", "-c", "command -v " + tool],
                           capture_output=True).returncode == 0
        if not found:
            missing += pkgs.split()
    if not missing:
        return True
    print("bench: installing the peers' packages: " + " ".join(missing),
          flush=True)
    cmd = ["apt-get", "install", "-y", "-q", "--no-install-recommends"]
    if os.getuid() != 0:
        cmd.insert(0, "sudo")
    return subprocess.run(cmd + missing, stdout=subprocess.DEVNULL).returncode == 0


def same_sql():
    """Run ../shared/peers/same-sql.sh against this bench's medex."""
    script = os.path.join(PEERS, "same-sql.sh")
    if os.environ.get("BENCH_SAME_SQL", "1") == "0":
        return {"skipped": "BENCH_SAME_SQL=0"}
    if not os.path.exists(script):
        return {"skipped": "../shared/peers not found"}
    if not peer_tools():
        return {"skipped": "the peers' packages could not be installed"}
    print("bench: same-SQL comparison (%s)" % script, flush=True)
    env = dict(os.environ, MEDEX_SRC=ROOT,
               PEER_CONNS=str(CONNS), PEER_DURATION=str(SECS))
    out = subprocess.run([script, BASE, DATA], capture_output=True,
                         text=True, env=env)
    if out.returncode != 0:
        return {"skipped": "same-sql.sh failed: " +
                (out.stderr.strip() or out.stdout.strip())[-500:]}
    rows, notes = [], []
    for line in out.stdout.splitlines():
        f = line.split()
        if line.startswith("#"):
            notes.append(line[1:].strip())
        elif len(f) == 5 and f[0] != "server":
            num = lambda v: None if v == "?" else float(v)
            rows.append({"server": f[0], "rps": num(f[1]), "p50": num(f[2]),
                         "p99": num(f[3]), "vs_pgbench": num(f[4])})
    return {"rows": rows, "notes": notes}


def print_same_sql(ssql):
    if "skipped" in ssql:
        print("same-SQL comparison skipped: " + ssql["skipped"])
        return
    print("\nsame SQL (../shared/peers/same-sql.sh, api_case_get):\n")
    print("| server | req/s | p50 ms | p99 ms | vs pgbench |")
    print("|---|---:|---:|---:|---:|")
    for r in ssql["rows"]:
        print("| %s | %s | %s | %s | %s |" % (
            r["server"], fmt(r["rps"]), fmt(r["p50"], "%.2f"),
            fmt(r["p99"], "%.2f"), fmt(r["vs_pgbench"], "%.2f")))
    for n in ssql["notes"]:
        print("# " + n)


# Issue 21's starting point: docs/benchmark.md's table of 2026-12-03
# (req/s and p50 ms at 10k and 6M cases), for "2.5 x today's req/s" and
# "every row within 1.1 x today's p50".
TODAY = {
    10000: {"case_read": (806.4, 78.58), "case_read_any": (797.0, 75.61),
            "case_page": (754.0, 76.65), "overdue": (974.8, 61.01),
            "search_nhs": (824.8, 81.38), "create": (718.3, 85.94),
            "transition": (570.0, 128.06), "export": (15.0, 132.83)},
    6000000: {"case_read": (928.5, 67.19), "case_read_any": (809.2, 80.25),
              "case_page": (568.1, 103.43), "overdue": (887.6, 72.16),
              "search_nhs": (761.8, 102.74), "create": (587.6, 73.97),
              "transition": (519.0, 121.48), "export": (0.4, 4220.0)},
}


def targets(rep):
    """Issue 21's targets that this run measured: (name, met, figures)."""
    out = []
    res = {r["endpoint"]: r["wrk"] for r in rep["results"]}
    ss = {r["server"]: r for r in rep["same_sql"].get("rows", [])}
    m, g = ss.get("medex"), ss.get("go-same-sql")
    if m and g and m["rps"] and g["rps"]:
        out.append(("same SQL: medex req/s >= 1.25 x Go's",
                    m["rps"] >= 1.25 * g["rps"], "%.1f vs 1.25 x %.1f = %.1f"
                    " (%.2f x)" % (m["rps"], g["rps"], 1.25 * g["rps"],
                                   m["rps"] / g["rps"])))
    if m and g and m["p99"] is not None and g["p99"] is not None:
        out.append(("same SQL: medex p99 <= Go's p99", m["p99"] <= g["p99"],
                    "%.2f ms vs %.2f ms" % (m["p99"], g["p99"])))
    base = TODAY.get(rep["dataset"]["cases"])
    cr = res.get("case_read")
    if cr and base and CONNS == 64:
        want = 2.5 * base["case_read"][0]
        out.append(("case read >= 2.5 x today's req/s", cr["rps"] >= want,
                    "%.1f vs 2.5 x %.1f = %.1f" % (cr["rps"],
                                                   base["case_read"][0],
                                                   want)))
    if cr and cr["p50"]:
        out.append(("case read p99 <= 3 x p50", cr["p99"] <= 3 * cr["p50"],
                    "%.2f ms vs 3 x %.2f ms" % (cr["p99"], cr["p50"])))
    pg = res.get("case_page")
    if cr and pg:
        out.append(("HTML case page >= 0.8 x the JSON read",
                    pg["rps"] >= 0.8 * cr["rps"], "%.1f / %.1f = %.2f" % (
                        pg["rps"], cr["rps"], pg["rps"] / cr["rps"])))
    for name, w in res.items():
        if base and name in base and w["p50"] is not None:
            t = base[name][1]
            out.append(("%s p50 within 1.1 x today's" % name,
                        w["p50"] <= 1.1 * t, "%.2f ms vs 1.1 x %.2f = %.2f"
                        % (w["p50"], t, 1.1 * t)))
    return [{"target": n, "met": ok, "figures": f} for n, ok, f in out]


def print_targets(ts):
    if not ts:
        return
    print("\nissue 21 targets (benchmarks, this machine, this run%s):" % (
        "; the reading rows the median of %d runs" % RUNS if RUNS > 1
        else ""))
    for t in ts:
        print("  %-44s %-7s %s" % (t["target"], "met" if t["met"] else
                                   "not met", t["figures"]))


NHS_PGBENCH = r"""\set b random(99900000, 99999999) * 10 + random(0, 8)
\set s 10*((:b/100000000)%10) + 9*((:b/10000000)%10) + 8*((:b/1000000)%10) + 7*((:b/100000)%10) + 6*((:b/10000)%10) + 5*((:b/1000)%10) + 4*((:b/100)%10) + 3*((:b/10)%10) + 2*(:b%10)
\set b :b + case when (11 - :s % 11) % 11 = 10 then 1 else 0 end
\set s 10*((:b/100000000)%10) + 9*((:b/10000000)%10) + 8*((:b/1000000)%10) + 7*((:b/100000)%10) + 6*((:b/10000)%10) + 5*((:b/1000)%10) + 4*((:b/100)%10) + 3*((:b/10)%10) + 2*(:b%10)
\set nhs :b * 10 + (11 - :s % 11) % 11
"""


def nhs_valid(b):
    """b (9 digits) and its check digit, or None (DOMAIN.md section 4)."""
    s = sum(int(d) * (10 - i) for i, d in enumerate(str(b)))
    c = (11 - s % 11) % 11
    return None if c == 10 else "%d%d" % (b, c)


# A fresh 999 number for the captured creation (not used by the data).
NHS_SAMPLE = next(n for n in (nhs_valid(b) for b in range(
    999999000 - random.randrange(1000), 999999999)) if n)


def today():
    return time.strftime("%Y-%m-%d", time.localtime())


DOB_SAMPLE = "1941-05-17"


def create_body(nhs):
    return {"given_name": "Bench", "family_name": "Created",
            "nhs_number": nhs, "date_of_birth": DOB_SAMPLE,
            "sex": "female", "date_of_death": today(),
            "place_of_death": "hospital", "place_detail": "Ward 7",
            "attending_practitioner": {"name": "Dr A. Morgan",
                                       "gmc_number": "7654321"}}


def machine():
    cpu = ""
    try:
        for l in open("/proc/cpuinfo"):
            if l.startswith("model name"):
                cpu = l.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    for l in open("/proc/meminfo"):
        if l.startswith("MemTotal"):
            mem = int(l.split()[1]) // 1024 // 1024
    deb = open("/etc/debian_version").read().strip() \
        if os.path.exists("/etc/debian_version") else ""
    pg = su("SHOW server_version")[0][0]
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem,
            "kernel": platform.release(), "debian": deb, "postgresql": pg,
            "load_before": os.getloadavg()}


def fmt(v, f="%.1f"):
    return "-" if v is None else f % v


def show(r):
    w = r["wrk"]
    pg = r["pgbench"] or {}
    print("bench: %-12s %8s req/s  p50 %6s ms  p99 %7s ms  max %7s ms  "
          "pgbench %8s/s p50 %s p99 %s ms  ratio %s  non-2xx %d  "
          "medex CPU %s us/req" % (
              r["endpoint"], fmt(w["rps"]), fmt(w["p50"], "%.2f"),
              fmt(w["p99"], "%.2f"), fmt(w["max"], "%.1f"),
              fmt(r["pgbench_statements_per_s"]), fmt(pg.get("p50")),
              fmt(pg.get("p99")), fmt(r["ratio"], "%.2f"),
              w["non2xx"], fmt(w.get("kore_cpu_us"), "%.0f")), flush=True)
    if w.get("runs_rps"):
        print("bench: %-12s the median of %d runs: %s req/s" % (
            r["endpoint"], len(w["runs_rps"]),
            " · ".join("%.1f" % x for x in w["runs_rps"])), flush=True)


def print_table(rep):
    m = rep["machine"]
    d = rep["dataset"]
    print("medex bench: %d cases (%s events, %d MiB, generated in %.0f s); "
          "%d connections, %d s each; workers %s, pgsql_conn_max %s" % (
              d["cases"], d["case_events"], d["database_bytes"] >> 20,
              d["generate_seconds"], rep["config"]["connections"],
              rep["config"]["seconds"], rep["config"]["workers"],
              rep["config"]["pgsql_conn_max"]))
    print("machine: %s, %d cores, %d GiB, Debian %s, PostgreSQL %s; "
          "load average before: %.1f" % (
              m["cpu"], m["cores"], m["memory_gib"], m["debian"],
              m["postgresql"], m["load_before"][0]))
    print()
    print("| endpoint | requests/s | p50 ms | p99 ms | max ms | pgbench "
          "SQL/s | pgbench p50 / p99 ms | ratio | round trips | "
          "medex CPU µs/req |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rep["results"]:
        w = r["wrk"]
        pg = r["pgbench"] or {}
        print("| %s | %s | %s | %s | %s | %s | %s / %s | %s | %s | %s |" % (
            r["label"], fmt(w["rps"]), fmt(w["p50"], "%.2f"),
            fmt(w["p99"], "%.2f"), fmt(w["max"], "%.0f"),
            fmt(r["pgbench_statements_per_s"]),
            fmt(pg.get("p50"), "%.1f"), fmt(pg.get("p99"), "%.1f"),
            fmt(r["ratio"], "%.2f"), r["round_trips"],
            fmt(w.get("kore_cpu_us"), "%.0f")))


if __name__ == "__main__":
    main()
