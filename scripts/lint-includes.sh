#!/usr/bin/env bash
# The shape rules of issue #16, checked by `make lint` (and so first by
# `make test`):
#   - no include circle among the modules of app/http: a module is a
#     file name without its extension (x.c and x.h are one node, in any
#     folder under app/http); an edge is an `#include "y.h"` of a y that
#     is such a module (app/core headers are not nodes).  A circle fails
#     with the circle printed.
#   - a header declares only what its own module defines (x.h: functions
#     defined in x.c), so that an include is a true dependency and no
#     umbrella header hides a circle; a header without a .c declares no
#     functions (medex.h: types only), except handlers.h, the list of the
#     route handlers of the route table (routes.c), each defined in a
#     file under app/http.
#   - dispatch.h is included by dispatch.c alone: the dispatcher depends
#     on the handlers and the route table, never the reverse.
#   - no .c file under app/ is over 800 lines.
#
#   scripts/lint-includes.sh [ROOT]
set -eu
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
exec python3 - "$root" <<'PY'
import os, re, sys

root = sys.argv[1]
http = os.path.join(root, "app", "http")
MAX_LINES = 800
inc_re = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
errors = []

files = []
for d, _, names in os.walk(http):
    for n in sorted(names):
        if n.endswith((".c", ".h")):
            files.append(os.path.join(d, n))
files.sort()

# One node per module; the same module in two folders is ambiguous.
where = {}
for f in files:
    base = os.path.basename(f)
    where.setdefault(base, []).append(f)
for base, fs in sorted(where.items()):
    if len(fs) > 1:
        errors.append("two files named %s: %s" % (base,
            ", ".join(os.path.relpath(x, root) for x in fs)))
mod = lambda f: os.path.splitext(os.path.basename(f))[0]
nodes = {mod(f) for f in files}

edges = {}
why = {}
for f in files:
    a = mod(f)
    edges.setdefault(a, set())
    with open(f, encoding="utf-8", errors="replace") as fp:
        for no, line in enumerate(fp, 1):
            m = inc_re.match(line)
            if m is None:
                continue
            inc = os.path.basename(m.group(1))
            b = os.path.splitext(inc)[0]
            if inc == "dispatch.h" and os.path.basename(f) != "dispatch.c":
                errors.append("%s:%d includes dispatch.h: only the "
                    "dispatcher may" % (os.path.relpath(f, root), no))
            if b not in nodes or b == a:
                continue
            if b not in edges[a]:
                edges[a].add(b)
                why[(a, b)] = "%s:%d" % (os.path.relpath(f, root), no)

# Prototypes at column 0 in headers, definitions at column 0 in .c
# files (style(9): the name of a definition starts its line).
proto_re = re.compile(r'^(?!typedef\b|extern\b|struct\b[^;]*\{|#)'
    r'[A-Za-z_][^;{}()]*?\b([a-z_][a-z_0-9]*)\s*\(', re.M)
def_re = re.compile(r'^([a-z_][a-z_0-9]*)\(', re.M)
defined = {}
for f in files:
    if f.endswith(".c"):
        with open(f, encoding="utf-8", errors="replace") as fp:
            for name in def_re.findall(fp.read()):
                defined.setdefault(name, set()).add(mod(f))
cfiles = {mod(f) for f in files if f.endswith(".c")}
for f in files:
    if not f.endswith(".h"):
        continue
    with open(f, encoding="utf-8", errors="replace") as fp:
        text = fp.read()
    m = mod(f)
    for name in proto_re.findall(text):
        where_def = defined.get(name, set())
        if m == "handlers":
            ok = len(where_def) > 0
        elif m in cfiles:
            ok = m in where_def
        else:
            ok = False
        if not ok:
            errors.append("%s declares %s, which %s" % (
                os.path.relpath(f, root), name,
                "no file under app/http defines" if m == "handlers" else
                ("%s.c does not define" % m if m in cfiles else
                "it may not: it has no .c (types only)")))

# Depth-first search; a grey node met again closes a circle.
WHITE, GREY, BLACK = 0, 1, 2
colour = {n: WHITE for n in edges}
cycles = []

def visit(n, path):
    colour[n] = GREY
    path.append(n)
    for m in sorted(edges.get(n, ())):
        if colour.get(m, WHITE) == GREY:
            cycles.append(path[path.index(m):] + [m])
        elif colour.get(m, WHITE) == WHITE:
            visit(m, path)
    path.pop()
    colour[n] = BLACK

sys.setrecursionlimit(10000)
for n in sorted(edges):
    if colour[n] == WHITE:
        visit(n, [])
for c in cycles:
    errors.append("include circle: " + " -> ".join(c))
    for a, b in zip(c, c[1:]):
        errors.append("    %s -> %s at %s" % (a, b, why[(a, b)]))

for d, _, names in os.walk(os.path.join(root, "app")):
    for n in sorted(names):
        if not n.endswith(".c"):
            continue
        p = os.path.join(d, n)
        with open(p, encoding="utf-8", errors="replace") as fp:
            lines = sum(1 for _ in fp)
        if lines > MAX_LINES:
            errors.append("%s: %d lines (at most %d)" % (
                os.path.relpath(p, root), lines, MAX_LINES))

if errors:
    for e in errors:
        print("lint: " + e, file=sys.stderr)
    sys.exit(1)
print("lint: %d modules in app/http, no include circle; no .c in app/ "
    "over %d lines" % (len(edges), MAX_LINES))
PY
