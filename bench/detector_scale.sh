#!/usr/bin/env bash
# What bottleneck_detector costs against a Prometheus holding one big service (issue 14): its wall time and peak RSS
# must not grow with the series count.
#   1. For each size (500 and 5,000 routes by default) a python3 script writes 6 minutes of OpenMetrics history, one
#      point every 30 s, of one service (job="shop") with an OpenTelemetry HTTP server histogram,
#      http_server_request_duration_seconds{http_route,http_request_method,http_response_status_code} with the
#      OpenTelemetry default bucket edges (14 + +Inf): two method/status pairs per route, 34 series each, so 5,000
#      routes are 170,000 series; route 0 is slow (p95 about 2.4 s) and route 1 fails a third of its GETs with 500.
#      Beside it a few process and .NET runtime metrics. `promtool tsdb create-blocks-from openmetrics` makes TSDB
#      blocks of it, and Prometheus (the Debian package, no scrape targets) serves them.
#   2. `bottleneck_detector --at <end of the history> --window 5m` runs against it RUNS times (Jaeger: a closed port),
#      each under /usr/bin/time -v: wall time and maximum resident set size.
#   3. A table of the medians, the 5000/500 memory ratio, PASS/FAIL against the goals (5,000 routes in ≤ 3 s and
#      ≤ 200 MB, ≤ 2× the memory of 500 routes), and each size's findings (rule, severity, target, value) with a hash
#      of them and of what discovery found, so a change can be checked to keep the same findings.
# Everything listens on 127.0.0.1 on free ports and is stopped on exit; the goals are reported, not enforced:
# exit 0 when the bench ran, 1 when something it needs could not run (or a detector run failed), 130/143 when interrupted.
# Usage: bench/detector_scale.sh   (from any folder; about 1 minute on 2 cores; see bench/README.md)
#        SIZES="500 5000 10000" RUNS=5 bench/detector_scale.sh
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

read -r -a sizes <<<"${SIZES:-500 5000}"
runs=${RUNS:-3}
goal_seconds=3 goal_mb=200 goal_ratio=2   # for the largest size, against the smallest

work=$(mktemp -d -t perftools-bench.XXXXXX)
pids=()
prom_pid=""
# shellcheck disable=SC2086,SC2317 # the EXIT trap calls it; $prom_pid unquoted: an empty id is no word at all
cleanup() {
  for pid in "${pids[@]}" $prom_pid; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}" $prom_pid; do wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 130' INT
trap 'echo "bench: terminated" >&2; exit 143' TERM

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

"$root/scripts/ensure-packages" bench prometheus:prometheus promtool:prometheus /usr/bin/time:time python3:python3 ||
  fail "the packages above are needed (prometheus, time, python3)"
"$root/bottleneck_detector" --help >/dev/null 2>&1 || fail "bottleneck_detector did not build"
# The built binary, not the launcher: a source edited by someone else during the bench must not start a build inside a timed run.
detector="$root/.build/bottleneck_detector/bottleneck_detector"
[ -x "$detector" ] || fail "no $detector after the build"
load_start=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
prom_version=$(prometheus --version 2>&1 | head -1)

# The history ends an hour before the current 2-hour block boundary: recent enough for any retention, and inside one
# block, so promtool writes one block per size.
end=$(( $(date +%s) / 7200 * 7200 - 3600 ))
at=$(date -u -d "@$end" +%Y-%m-%dT%H:%M:%SZ)

generate() { # routes file
  python3 - "$1" "$end" "$2" <<'PY'
import sys
routes, end, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
interval, points = 30, 13                       # 6 minutes: a 5m window at the end and a step before it
times = [end - interval * (points - 1 - k) for k in range(points)]
edges = ["0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75", "1", "2.5", "5", "7.5", "10", "+Inf"]
# cumulative share of requests at or below each edge, and the mean in seconds
fast = ([0.1, 0.4, 0.8, 0.95, 0.98, 0.99] + [1.0] * 9, 0.02)
slow = ([0.0] * 7 + [0.1, 0.3, 0.6, 0.97] + [1.0] * 4, 1.1)
common = 'job="shop",instance="127.0.0.1:8080"'

def label_sets():
    # (route index, method, status, requests per second, shape)
    for r in range(routes):
        shape = slow if r == 0 else fast
        yield r, "GET", "200", 1.0, shape
        yield r, "POST", "201", 0.5, shape
        if r == 1:
            yield r, "GET", "500", 0.5, fast  # a third of route 1's GETs fail

sets = list(label_sets())
with open(path, "w", encoding="ascii") as out:
    w = out.write
    w("# TYPE http_server_request_duration_seconds histogram\n# UNIT http_server_request_duration_seconds seconds\n")
    name = "http_server_request_duration_seconds"
    for k, t in enumerate(times):
        for r, method, status, rps, (shares, mean) in sets:
            labels = f'http_route="/api/r{r:05d}/{{id}}",http_request_method="{method}",http_response_status_code="{status}",{common}'
            count = int(rps * interval * (k + 20))   # counters started before the history
            for edge, share in zip(edges, shares):
                w(f'{name}_bucket{{{labels},le="{edge}"}} {int(count * share)} {t}\n')
            w(f"{name}_sum{{{labels}}} {count * mean:.3f} {t}\n")
            w(f"{name}_count{{{labels}}} {count} {t}\n")
    w("# TYPE process_resident_memory_bytes gauge\n")
    for k, t in enumerate(times):
        w(f"process_resident_memory_bytes{{{common}}} {150_000_000 + (k % 3) * 1_000_000} {t}\n")
    w("# TYPE process_start_time_seconds gauge\n")
    for t in times:
        w(f"process_start_time_seconds{{{common}}} {end - 7200} {t}\n")
    w("# TYPE process_cpu_seconds counter\n")
    for k, t in enumerate(times):
        w(f"process_cpu_seconds_total{{{common}}} {100 + 3 * k} {t}\n")   # 0.1 core
    w("# TYPE dotnet_process_cpu_count gauge\n")
    for t in times:
        w(f"dotnet_process_cpu_count{{{common}}} 2 {t}\n")
    w("# TYPE dotnet_gc_collections counter\n")
    for k, t in enumerate(times):
        for gen, per in (("gen0", 6), ("gen1", 2), ("gen2", 0)):
            w(f'dotnet_gc_collections_total{{{common},gc_heap_generation="{gen}"}} {1000 + per * k} {t}\n')
    w("# EOF\n")
PY
}

start_prometheus() { # data-dir
  prom_port=$(free_port)
  prom_url="http://127.0.0.1:$prom_port"
  printf 'global:\n  scrape_interval: 1h\n' >"$work/prometheus.yml"   # no scrape targets: the blocks are all it holds
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$1" --storage.tsdb.retention.time=10y \
    --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
  prom_pid=$!
  wait_for "$prom_url/-/ready" 60 "$prom_pid" || { tail -5 "$work/prometheus.log" >&2; fail "Prometheus did not start on $prom_url"; }
}

stop_prometheus() {
  kill "$prom_pid" 2>/dev/null
  wait "$prom_pid" 2>/dev/null
  prom_pid=""
}

# One detector run: prints "seconds peak_kb" and leaves its reports in the folder given.
measure() { # out-folder
  local out="$1" jaeger
  jaeger="http://127.0.0.1:$(free_port)"   # closed: the detector says so once and goes on
  mkdir -p "$out"
  run_stoppable "$out/console.txt" /usr/bin/time -v -o "$out/time.txt" timeout 300 "$detector" \
    --prometheus-url "$prom_url" --jaeger-url "$jaeger" --at "$at" --window 5m --timeout 60 --fail-on none --output "$out"
  local rc=$?
  [ $rc -eq 0 ] || { tail -5 "$out/console.txt" >&2; fail "bottleneck_detector exited $rc (its console is above)"; }
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
              /Maximum resident set size/ { kb = $2 } END { printf "%.2f %d\n", s, kb }' "$out/time.txt"
}

# Each size's findings as "rule severity target value unit" lines, then hashes of them and of what discovery found.
findings_of() { # out-folder
  python3 - "$1" <<'PY' || fail "could not read the findings ($1)"
import glob, hashlib, json, sys
d = json.load(open(sorted(glob.glob(sys.argv[1] + "/bottleneck_findings_*.json"))[0], encoding="utf-8"))
rows = sorted(f"{f['rule']} {f['severity']} {f['target']} {f['value']:.6g} {f['unit']}" for f in d["findings"])
discovered = json.dumps(d["prometheus"].get("discovered", {}), sort_keys=True)
for r in rows:
    print("  " + r)
print("  findings %s, discovery %s (prometheus: %s)" % (
    hashlib.sha256("\n".join(rows).encode()).hexdigest()[:12], hashlib.sha256(discovered.encode()).hexdigest()[:12],
    d["prometheus"]["state"]))
PY
}

results="$work/results"
: >"$results"
for n in "${sizes[@]}"; do
  say "$n routes: writing the history, then TSDB blocks (promtool)"
  generate "$n" "$work/history.om" || fail "could not write the history ($n routes)"
  mkdir -p "$work/data-$n"
  run_stoppable "$work/promtool-$n.log" timeout 900 promtool tsdb create-blocks-from openmetrics "$work/history.om" "$work/data-$n" ||
    { tail -5 "$work/promtool-$n.log" >&2; fail "promtool could not make blocks ($n routes)"; }
  rm -f "$work/history.om"
  start_prometheus "$work/data-$n"
  series=$(curl -fsS --get "$prom_url/api/v1/query" --data-urlencode "query=count({job=\"shop\"})" --data-urlencode "time=$end" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])') ||
    fail "Prometheus holds no series of the history ($n routes)"
  say "$n routes, $series series: $runs detector runs against $prom_url at $at"
  for run in $(seq 1 "$runs"); do
    measured=$(measure "$work/run-$n-$run") || exit 1
    read -r seconds kb <<<"$measured"
    echo "$n $series $run $seconds $kb" | tee -a "$results"
  done
  echo "$n findings:" >>"$work/findings"
  findings_of "$work/run-$n-1" >>"$work/findings"
  stop_prometheus
  rm -rf "$work/data-$n"
done

say "results ($prom_version; load average $load_start at start, $(cut -d' ' -f1 /proc/loadavg) at end)"
python3 - "$results" "$goal_seconds" "$goal_mb" "$goal_ratio" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
goal_s, goal_mb, goal_ratio = float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
sizes = sorted({int(r[0]) for r in rows})
print("%-7s %-8s %-4s %10s %12s" % ("routes", "series", "run", "seconds", "peak RSS MB"))
for r in rows:
    print("%-7s %-8s %-4s %10s %12.1f" % (r[0], r[1], r[2], r[3], int(r[4]) / 1024))
print()
med = {n: (statistics.median(float(r[3]) for r in rows if int(r[0]) == n),
           statistics.median(int(r[4]) / 1024 for r in rows if int(r[0]) == n)) for n in sizes}
print("%-7s %14s %18s" % ("routes", "median seconds", "median peak RSS MB"))
for n in sizes:
    print("%-7d %14.2f %18.1f" % (n, *med[n]))
big, small = sizes[-1], sizes[0]
ratio = med[big][1] / med[small][1]
print()
print("%-40s %10s %10s  %s" % ("goal", "value", "target", "verdict"))
for label, value, target in (
        (f"{big} routes: median wall time (s)", med[big][0], goal_s),
        (f"{big} routes: median peak RSS (MB)", med[big][1], goal_mb),
        (f"peak RSS {big} / {small} routes", ratio, goal_ratio)):
    print("%-40s %10.2f %10s  %s" % (label, value, "<= %g" % target, "PASS" if value <= target else "FAIL"))
PY
say "findings per size (the first run of each)"
cat "$work/findings"
