#!/usr/bin/env bash
# How much performance_analyzer adds to what it measures, and whether it measures a known latency right:
#   1. overhead: p50 against nginx answering "ok" on loopback, beside wrk's p50 on the same URL (3 rounds each,
#      alternating, median kept), so the difference is the client's own cost per request;
#   2. accuracy: against a server that sleeps 20 ms per request (bench/planted_server.py), 3 rounds alternating with
#      wrk: our mean beside 20 ms, and our median beside wrk's median (issue 14: at most 0.2 ms above).
# Everything listens on 127.0.0.1 on free ports and is stopped on exit; the targets are reported, not enforced:
# exit 0 when the bench ran, 1 when something it needs could not run, 130/143 when interrupted.
# Usage: bench/analyzer_accuracy.sh   (from any folder; see bench/README.md)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
analyzer="$root/performance_analyzer"

rounds=3
our_iterations=5000 our_warmup=200
wrk_seconds=10
sleep_ms=20 sleep_iterations=200 sleep_warmup=10 sleep_wrk_seconds=5
target_ratio=1.1            # our p50 / wrk p50 against nginx (issue 14)
target_overhead_ms=0.1      # our p50 - wrk p50
target_accuracy_ms=1        # |our mean - 20 ms|
target_sleep_p50_ms=0.2     # our p50 - wrk p50 against the 20 ms server (issue 14)

work=$(mktemp -d -t perftools-bench.XXXXXX)
pids=()
# shellcheck disable=SC2317 # the EXIT trap calls it
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 130' INT
trap 'echo "bench: terminated" >&2; exit 143' TERM

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

"$root/scripts/ensure-packages" bench nginx:nginx-light wrk:wrk python3:python3 \
  || fail "the packages above are needed (nginx-light, wrk, python3)"
command -v timeout >/dev/null 2>&1 || fail "timeout (coreutils) is needed"

# Other work on the machine shows up in every figure: the load is printed with the summary.
load_start=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')

# Closed port for --jaeger-url: the analyzer says "Jaeger unreachable" once and goes on.
jaeger_url="http://127.0.0.1:$(free_port)"

# Runs the analyzer; sets fig_count fig_errors fig_mean fig_p50 fig_p99 (ms) from its summary CSV.
run_ours() { # url endpoint iterations warmup label
  local out="$work/ours-$5"
  mkdir -p "$out"
  if ! run_stoppable "$out/console.txt" timeout 600 "$analyzer" --base-url "$1" --endpoint "$2" --iterations "$3" \
      --concurrency 1 --delay-ms 0 --warmup "$4" --timeout 5 --output "$out" --jaeger-url "$jaeger_url"; then
    tail -5 "$out/console.txt" >&2
    fail "performance_analyzer failed ($5); its output is above"
  fi
  # Read by header name with the csv module: error_kinds may hold a quoted comma (RFC 4180).
  python3 - "$out" >"$out/figures" <<'PY' || fail "could not read performance_analyzer's summary CSV ($5)"
import csv, glob, sys
files = glob.glob(sys.argv[1] + "/performance_summary_*.csv")
if len(files) != 1:
    sys.exit("expected one performance_summary_*.csv, found %d" % len(files))
rows = list(csv.DictReader(open(files[0], newline="", encoding="utf-8")))
if len(rows) != 1:
    sys.exit("expected one endpoint row, found %d" % len(rows))
r = rows[0]
print(r["measured"], r["errors"], r["mean_ms"], r["p50_ms"], r["p99_ms"])
PY
  read -r fig_count fig_errors fig_mean fig_p50 fig_p99 <"$out/figures"
}

# Runs wrk; sets the same fig_* variables from its output, wrk's us/ms/s/m units turned into ms.
run_wrk() { # url seconds label
  local out="$work/wrk-$3.txt"
  if ! run_stoppable "$out" timeout $(($2 + 30)) wrk -t1 -c1 -d"$2"s --latency "$1"; then
    tail -5 "$out" >&2
    fail "wrk failed ($3); its output is above"
  fi
  awk '
    function ms(v,   n, u) {
      n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
      if (u == "us") return n / 1000; if (u == "ms") return n; if (u == "s") return n * 1000
      if (u == "m") return n * 60000; if (u == "h") return n * 3600000
      return "?"
    }
    $1 == "Latency" && mean == "" { mean = ms($2) }   # "Thread Stats" row: Avg Stdev Max
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    / requests in / { requests = $1 }
    /Non-2xx or 3xx responses:/ { errors += $NF }
    /Socket errors:/ { for (i = 3; i <= NF; i += 2) errors += $(i + 1) }
    END {
      if (mean == "" || p50 == "" || p99 == "" || requests == "" || mean == "?" || p50 == "?" || p99 == "?") exit 1
      printf "%s %d %.4f %.4f %.4f\n", requests, errors, mean, p50, p99
    }' "$out" >"$out.figures" || { cat "$out" >&2; fail "could not read wrk's latency lines ($3); its output is above"; }
  read -r fig_count fig_errors fig_mean fig_p50 fig_p99 <"$out.figures"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.4f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
verdict() { awk "BEGIN { print ($1) ? \"PASS\" : \"FAIL\" }"; }

say "building performance_analyzer (first use, or its sources changed)"
run_stoppable "$work/build.log" timeout 600 "$analyzer" --help \
  || { cat "$work/build.log" >&2; fail "performance_analyzer did not build or start ($analyzer --help)"; }

# ---------------------------------------------------------------- nginx
start_nginx

# ---------------------------------------------------------------- sleep server
sleep_port=$(free_port)
say "starting the ${sleep_ms} ms server on 127.0.0.1:$sleep_port (bench/planted_server.py)"
python3 "$root/bench/planted_server.py" "$sleep_port" "$sleep_ms" >"$work/sleep_server.log" 2>&1 &
pids+=($!)
sleep_url="http://127.0.0.1:$sleep_port"
if ! wait_for "$sleep_url/sleep" 10 "${pids[-1]}"; then
  cat "$work/sleep_server.log" >&2
  fail "the ${sleep_ms} ms server did not answer on $sleep_url (its output is above)"
fi

# ---------------------------------------------------------------- 1. overhead against nginx
say "overhead: $rounds rounds against nginx, alternating performance_analyzer ($our_iterations requests, $our_warmup warm-up) and wrk (${wrk_seconds} s)"
printf '%-6s %-20s %8s %7s %10s %10s %10s\n' round client requests errors p50_ms p99_ms mean_ms
our_p50s=() our_p99s=() wrk_p50s=() wrk_p99s=() errors_seen=0
row_fig() { printf '%-6s %-20s %8s %7s %10.4f %10.4f %10.4f\n' "$1" "$2" "$fig_count" "$fig_errors" "$fig_p50" "$fig_p99" "$fig_mean"; }
for round in $(seq 1 "$rounds"); do
  run_ours "$nginx_url" / "$our_iterations" "$our_warmup" "nginx-$round"
  row_fig "$round" performance_analyzer
  our_p50s+=("$fig_p50") our_p99s+=("$fig_p99"); errors_seen=$((errors_seen + fig_errors))
  run_wrk "$nginx_url/" "$wrk_seconds" "nginx-$round"
  row_fig "$round" wrk
  wrk_p50s+=("$fig_p50") wrk_p99s+=("$fig_p99"); errors_seen=$((errors_seen + fig_errors))
done
our_p50=$(median "${our_p50s[@]}") our_p99=$(median "${our_p99s[@]}")
wrk_p50=$(median "${wrk_p50s[@]}") wrk_p99=$(median "${wrk_p99s[@]}")
ratio=$(calc "$our_p50 / $wrk_p50")
overhead=$(calc "$our_p50 - $wrk_p50")

# ---------------------------------------------------------------- 2. accuracy against the sleep server
say "accuracy: $rounds rounds against the ${sleep_ms} ms server, alternating performance_analyzer ($sleep_iterations requests, $sleep_warmup warm-up) and wrk (${sleep_wrk_seconds} s)"
printf '%-6s %-20s %8s %7s %10s %10s %10s\n' round client requests errors mean_ms p50_ms p99_ms
row_fig() { printf '%-6s %-20s %8s %7s %10.4f %10.4f %10.4f\n' "$1" "$2" "$fig_count" "$fig_errors" "$fig_mean" "$fig_p50" "$fig_p99"; }
our_means=() our_sleep_p50s=() wrk_means=() wrk_sleep_p50s=()
for round in $(seq 1 "$rounds"); do
  run_ours "$sleep_url" /sleep "$sleep_iterations" "$sleep_warmup" "sleep-$round"
  row_fig "$round" performance_analyzer
  our_means+=("$fig_mean") our_sleep_p50s+=("$fig_p50"); errors_seen=$((errors_seen + fig_errors))
  run_wrk "$sleep_url/sleep" "$sleep_wrk_seconds" "sleep-$round"
  row_fig "$round" wrk
  wrk_means+=("$fig_mean") wrk_sleep_p50s+=("$fig_p50"); errors_seen=$((errors_seen + fig_errors))
done
our_mean=$(median "${our_means[@]}") wrk_mean=$(median "${wrk_means[@]}")
our_sleep_p50=$(median "${our_sleep_p50s[@]}") wrk_sleep_p50=$(median "${wrk_sleep_p50s[@]}")
accuracy=$(calc "$our_mean - $sleep_ms")
vs_wrk=$(calc "$our_mean - $wrk_mean")
sleep_p50_delta=$(calc "$our_sleep_p50 - $wrk_sleep_p50")

# ---------------------------------------------------------------- summary
say "summary ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, median of $rounds rounds where marked)"
printf '%-44s %12s  %-22s %s\n' figure value target verdict
row() { printf '%-44s %12s  %-22s %s\n' "$@"; }
row "nginx: our p50 (ms, median)" "$our_p50" "" ""
row "nginx: wrk p50 (ms, median)" "$wrk_p50" "" ""
row "nginx: ratio ours / wrk" "$ratio" "<= $target_ratio" "$(verdict "$ratio <= $target_ratio")"
row "nginx: client overhead ours - wrk (ms)" "$overhead" "< $target_overhead_ms" "$(verdict "$overhead < $target_overhead_ms")"
row "nginx: our p99 (ms, median)" "$our_p99" "information" ""
row "nginx: wrk 99% (ms, median)" "$wrk_p99" "information" ""
row "${sleep_ms} ms server: our mean (ms, median)" "$our_mean" "$sleep_ms +- $target_accuracy_ms" \
  "$(verdict "($accuracy <= $target_accuracy_ms) && ($accuracy >= -$target_accuracy_ms)")"
row "${sleep_ms} ms server: wrk mean (ms, median)" "$wrk_mean" "information" ""
row "${sleep_ms} ms server: mean ours - wrk (ms)" "$vs_wrk" "information" ""
row "${sleep_ms} ms server: our p50 (ms, median)" "$our_sleep_p50" "" ""
row "${sleep_ms} ms server: wrk p50 (ms, median)" "$wrk_sleep_p50" "" ""
row "${sleep_ms} ms server: p50 ours - wrk (ms)" "$sleep_p50_delta" "<= $target_sleep_p50_ms" \
  "$(verdict "$sleep_p50_delta <= $target_sleep_p50_ms")"
row "errors, all runs" "$errors_seen" "0" "$(verdict "$errors_seen == 0")"
row "load average (1 min) at start / end" "$load_start / $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')" \
  "information" ""
exit 0
