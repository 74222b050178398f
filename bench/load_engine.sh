#!/usr/bin/env bash
# The load engine's raw speed against wrk's (issue 14): one nginx answering `return 200 "ok"` (keep-alive, access
# log off, worker_processes 1, so the server costs the same share of the 2 cores in every run), then PAIRS pairs of
# 10 s runs, alternating so a change in the machine's load hits both tools alike:
#   wrk -t2 -c50 -d10s URL
#   simulate_bottleneck --scenario load --rps 0 --max-in-flight 50 --duration 10 --warmup 0 (closed model, 50 in flight)
# Per run: achieved requests/s (wrk's "Requests/sec", our JSON report's achieved_rps) and CPU per request, user+sys
# µs of the whole process from /usr/bin/time divided by its requests (ours includes its start, JIT and report writing,
# some 0.3 s of CPU, which adds about 1 µs a request at 30k requests/s over 10 s). Then the medians and ours/wrk.
# Everything listens on 127.0.0.1 on free ports and is stopped on exit; the goal (ours/wrk >= 0.9) is reported, not
# enforced: exit 0 when the bench ran, 1 when something it needs could not run, 130/143 when interrupted.
# Usage: bench/load_engine.sh   PAIRS=5 bench/load_engine.sh   (from any folder; see bench/README.md)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
launcher="$root/simulate_bottleneck"

pairs=${PAIRS:-3}
run_seconds=10
connections=50 wrk_threads=2
request_timeout_s=5
target_ratio=0.9            # our closed-model rps / wrk's

case "$pairs" in ''|*[!0-9]*|0) echo "bench: PAIRS must be a whole number above 0" >&2; exit 1;; esac

work=$(mktemp -d -t perftools-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  # timeout leads a process group of its own; give each group up to 10 s to empty before its folder goes.
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 130' INT
trap 'echo "bench: terminated" >&2; exit 143' TERM

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

"$root/scripts/ensure-packages" bench nginx:nginx-light wrk:wrk python3:python3 /usr/bin/time:time \
  || fail "the packages above are needed (nginx-light, wrk, python3, time)"
command -v timeout >/dev/null 2>&1 || fail "timeout (coreutils) is needed"

load_start=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')

say "building simulate_bottleneck (first use, or its sources changed)"
run_stoppable "$work/build.log" timeout 600 "$launcher" --help \
  || { cat "$work/build.log" >&2; fail "simulate_bottleneck did not build or start ($launcher --help)"; }
# One copy of this build for every run: the launcher would rebuild inside a timed run if a source changed meanwhile.
[ -x "$root/.build/simulate_bottleneck/simulate_bottleneck" ] || fail "no built program in .build/simulate_bottleneck"
cp -a "$root/.build/simulate_bottleneck" "$work/simulator" || fail "could not copy the built simulate_bottleneck"
simulator="$work/simulator/simulate_bottleneck"

# CPU µs per request from a /usr/bin/time -f "%U %S" file (seconds, 2 decimals) and a request count.
cpu_us() { awk -v n="$2" '{ cpu = $1 + $2 } END { if (n > 0) printf "%.2f", cpu * 1e6 / n; else print "?" }' "$1"; }

# Sets fig_rps fig_requests fig_errors fig_cpu_us.
run_ours() { # label
  local out="$work/ours-$1"
  mkdir -p "$out"
  if ! run_stoppable "$out/console.txt" timeout $((run_seconds + 60)) /usr/bin/time -o "$out/cpu" -f "%U %S" \
      "$simulator" --base-url "$nginx_url" --scenario load --endpoint / --rps 0 --max-in-flight "$connections" \
      --duration "$run_seconds" --warmup 0 --timeout "$request_timeout_s" --output "$out"; then
    tail -15 "$out/console.txt" >&2
    fail "simulate_bottleneck failed ($1); its output is above"
  fi
  python3 - "$out" >"$out/figures" <<'PY' || fail "could not read simulate_bottleneck's JSON report ($1)"
import glob, json, sys
files = glob.glob(sys.argv[1] + "/simulation_load_*.json")
if len(files) != 1:
    sys.exit("expected one simulation_load_*.json, found %d" % len(files))
r = json.load(open(files[0], encoding="utf-8"))
print("%.1f %d %d" % (r["achieved_rps"], r["requests"], r["errors"]))
PY
  read -r fig_rps fig_requests fig_errors <"$out/figures"
  fig_cpu_us=$(cpu_us "$out/cpu" "$fig_requests")
}

run_wrk() { # label
  local out="$work/wrk-$1.txt"
  if ! run_stoppable "$out" timeout $((run_seconds + 30)) /usr/bin/time -o "$out.cpu" -f "%U %S" \
      wrk -t"$wrk_threads" -c"$connections" -d"$run_seconds"s "$nginx_url/"; then
    tail -5 "$out" >&2
    fail "wrk failed ($1); its output is above"
  fi
  awk '
    / requests in / { requests = $1 }
    $1 == "Requests/sec:" { rps = $2 }
    /Non-2xx or 3xx responses:/ { errors += $NF }
    /Socket errors:/ { for (i = 3; i <= NF; i += 2) errors += $(i + 1) }
    END { if (rps == "" || requests == "") exit 1; printf "%.1f %d %d\n", rps, requests, errors }' "$out" >"$out.figures" \
    || { cat "$out" >&2; fail "could not read wrk's figures ($1); its output is above"; }
  read -r fig_rps fig_requests fig_errors <"$out.figures"
  fig_cpu_us=$(cpu_us "$out.cpu" "$fig_requests")
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

start_nginx

ours_rps=() ours_cpu=() wrk_rps=() wrk_cpu=()
rows=()
for i in $(seq "$pairs"); do
  say "pair $i of $pairs: wrk -t$wrk_threads -c$connections -d${run_seconds}s"
  run_wrk "$i"
  wrk_rps+=("$fig_rps") wrk_cpu+=("$fig_cpu_us")
  rows+=("$(printf '%-5s %-6s %12s %10s %8s %10s' "$i" wrk "$fig_rps" "$fig_requests" "$fig_errors" "$fig_cpu_us")")
  say "pair $i of $pairs: simulate_bottleneck --scenario load --rps 0 --max-in-flight $connections --duration $run_seconds --warmup 0"
  run_ours "$i"
  ours_rps+=("$fig_rps") ours_cpu+=("$fig_cpu_us")
  rows+=("$(printf '%-5s %-6s %12s %10s %8s %10s' "$i" ours "$fig_rps" "$fig_requests" "$fig_errors" "$fig_cpu_us")")
done

m_ours=$(median "${ours_rps[@]}") m_wrk=$(median "${wrk_rps[@]}")
c_ours=$(median "${ours_cpu[@]}") c_wrk=$(median "${wrk_cpu[@]}")
ratio=$(calc "$m_ours / $m_wrk")
verdict=$(awk -v r="$ratio" -v t="$target_ratio" 'BEGIN { print (r >= t) ? "PASS" : "FAIL" }')

say "results ($pairs pairs of ${run_seconds} s, nginx worker_processes 1, $connections connections; load average at start $load_start, at end $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?'))"
printf '%-5s %-6s %12s %10s %8s %10s\n' pair tool "requests/s" requests errors "cpu µs/req"
printf '%s\n' "${rows[@]}"
echo
printf 'median requests/s: ours %s, wrk %s; ours/wrk %s (goal >= %s: %s)\n' "$m_ours" "$m_wrk" "$ratio" "$target_ratio" "$verdict"
printf 'median CPU per request (user+sys µs): ours %s, wrk %s; ours/wrk %s\n' "$c_ours" "$c_wrk" "$(calc "$c_ours / $c_wrk")"
exit 0
