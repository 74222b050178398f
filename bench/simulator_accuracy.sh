#!/usr/bin/env bash
# Whether simulate_bottleneck sends what it is asked to and reports latency the way a user would experience it:
#   1. rate: --rps 2000 and --rps 50000 (issue 14, --max-in-flight 1000) for 10 s against nginx answering "ok",
#      achieved rate against the target, late sends and those through the generator's own delay;
#   2. throughput: closed model (--rps 0 --max-in-flight 50) against nginx, beside wrk -t2 -c50 on the same URL;
#   3. memory: peak RSS of a 30 s run at 2000 rps against that of a 5 s run (flat histograms; issue 14: <= 1.05);
#   4. latency: a server that freezes 0.5 s every 2 s, at 1000 rps (1000 slots, then 50): our corrected and raw
#      p50/p90/p99 beside the true figures of that server and beside wrk's and hey's (closed model, 50 connections;
#      hey keeps coordinated omission, wrk 4 corrects it afterwards from its mean interval).
# Everything listens on 127.0.0.1 on free ports and is stopped on exit; the targets are reported, not enforced:
# exit 0 when the bench ran, 1 when something it needs could not run, 130/143 when interrupted.
# Usage: bench/simulator_accuracy.sh   (from any folder; see bench/README.md)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
launcher="$root/simulate_bottleneck"

run_seconds=10              # every run but the long one
long_seconds=30             # the memory run
short_seconds=5             # its baseline
low_rps=2000 high_rps=50000
closed_in_flight=50 wrk_threads=2
freeze_rps=1000 freeze_in_flight=1000
period_s=2.0 freeze_s=0.5   # the freezing server: frozen for the first freeze_s of every period_s (monotonic clock)
request_timeout_s=5
target_rate_pct=1           # achieved rps within +-1 % of the target
target_throughput=0.9       # our closed-model rps / wrk's (issue 14)
target_memory=1.05          # peak RSS, 30 s run / 5 s run (issue 14)
target_p90_pct=25           # our corrected p90 within +-25 % of the true p90

work=$(mktemp -d -t perftools-bench.XXXXXX)
pids=()
# shellcheck disable=SC2317 # the EXIT trap calls it
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  # timeout leads a process group of its own and signals all of it, but returns as soon as its child
  # (/usr/bin/time) has died: the simulator under it is still writing its reports on SIGTERM, into the folder
  # about to be removed. So each group is given up to 10 s to empty (a pid leading a live group is not reused).
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

"$root/scripts/ensure-packages" bench nginx:nginx-light wrk:wrk hey:hey python3:python3 /usr/bin/time:time \
  || fail "the packages above are needed (nginx-light, wrk, hey, python3, time)"
command -v timeout >/dev/null 2>&1 || fail "timeout (coreutils) is needed"

# Other work on the machine shows up in every figure: the load is printed with the summary.
load_start=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
bench_start=$SECONDS

say "building simulate_bottleneck (first use, or its sources changed)"
run_stoppable "$work/build.log" timeout 600 "$launcher" --help \
  || { cat "$work/build.log" >&2; fail "simulate_bottleneck did not build or start ($launcher --help)"; }
# The launcher ends in `exec` of the built program, so /usr/bin/time around it would measure the program itself;
# but it also rebuilds when a source is newer than the build, and a build inside a measured run would count its
# compiler's memory and time. So every run below uses one copy of this build, taken now.
[ -x "$root/.build/simulate_bottleneck/simulate_bottleneck" ] || fail "no built program in .build/simulate_bottleneck"
cp -a "$root/.build/simulate_bottleneck" "$work/simulator" || fail "could not copy the built simulate_bottleneck"
simulator="$work/simulator/simulate_bottleneck"

# Runs the load scenario under /usr/bin/time; sets fig_* from its JSON report and fig_rss_kb (peak RSS, KB).
run_ours() { # url rps seconds max-in-flight label
  local out="$work/ours-$5"
  mkdir -p "$out"
  if ! run_stoppable "$out/console.txt" timeout $(($3 + 60)) /usr/bin/time -o "$out/rss" -f %M \
      "$simulator" --base-url "$1" --scenario load --endpoint / --rps "$2" --duration "$3" --max-in-flight "$4" \
      --timeout "$request_timeout_s" --output "$out"; then
    tail -15 "$out/console.txt" >&2
    fail "simulate_bottleneck failed ($5); its output is above"
  fi
  fig_rss_kb=$(tail -1 "$out/rss")
  python3 - "$out" >"$out/figures" <<'PY' || fail "could not read simulate_bottleneck's JSON report ($5)"
import glob, json, sys
files = glob.glob(sys.argv[1] + "/simulation_load_*.json")
if len(files) != 1:
    sys.exit("expected one simulation_load_*.json, found %d" % len(files))
r = json.load(open(files[0], encoding="utf-8"))
c, u = r["latency_ms"], r["latency_uncorrected_ms"]
print(r["achieved_rps"], r["requests"], r["ok"], r["errors"], r["late"], r["max_lag_ms"],
      c["p50"], c["p90"], c["p99"], c["max"], u["p50"], u["p90"], u["p99"], u["max"],
      r.get("generator", {}).get("late_own", 0))
PY
  read -r fig_rps fig_requests fig_ok fig_errors fig_late fig_lag fig_p50 fig_p90 fig_p99 fig_max \
    fig_raw_p50 fig_raw_p90 fig_raw_p99 fig_raw_max fig_late_own <"$out/figures"
  case "$fig_rss_kb" in ''|*[!0-9]*) fail "no peak RSS from /usr/bin/time ($5)";; esac
}

# Runs wrk; sets fig_rps fig_requests fig_errors fig_p50 fig_p90 fig_p99 (ms; wrk's us/ms/s/m units turned into ms).
run_wrk() { # url label
  local out="$work/wrk-$2.txt"
  if ! run_stoppable "$out" timeout $((run_seconds + 30)) wrk -t"$wrk_threads" -c"$closed_in_flight" \
      -d"$run_seconds"s --latency "$1"; then
    tail -5 "$out" >&2
    fail "wrk failed ($2); its output is above"
  fi
  awk '
    function ms(v,   n, u) {
      n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
      if (u == "us") return n / 1000; if (u == "ms") return n; if (u == "s") return n * 1000
      if (u == "m") return n * 60000; if (u == "h") return n * 3600000
      return "?"
    }
    $1 == "50%" { p50 = ms($2) }
    $1 == "90%" { p90 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    / requests in / { requests = $1 }
    $1 == "Requests/sec:" { rps = $2 }
    /Non-2xx or 3xx responses:/ { errors += $NF }
    /Socket errors:/ { for (i = 3; i <= NF; i += 2) errors += $(i + 1) }
    END {
      if (p50 == "" || p90 == "" || p99 == "" || requests == "" || rps == "" || p50 == "?" || p90 == "?" || p99 == "?") exit 1
      printf "%.1f %s %d %.4f %.4f %.4f\n", rps, requests, errors, p50, p90, p99
    }' "$out" >"$out.figures" || { cat "$out" >&2; fail "could not read wrk's figures ($2); its output is above"; }
  read -r fig_rps fig_requests fig_errors fig_p50 fig_p90 fig_p99 <"$out.figures"
}

# Runs hey; sets the same fig_* variables from its "Latency distribution" lines (seconds turned into ms).
run_hey() { # url label
  local out="$work/hey-$2.txt"
  if ! run_stoppable "$out" timeout $((run_seconds + 30)) hey -z "$run_seconds"s -c "$closed_in_flight" "$1"; then
    tail -5 "$out" >&2
    fail "hey failed ($2); its output is above"
  fi
  awk '
    $1 == "Requests/sec:" { rps = $2 }
    $1 == "50%" && $2 == "in" { p50 = $3 * 1000 }
    $1 == "90%" && $2 == "in" { p90 = $3 * 1000 }
    $1 == "99%" && $2 == "in" { p99 = $3 * 1000 }
    /^Status code distribution:/ { section = "status"; next }
    /^Error distribution:/ { section = "errors"; next }
    section == "status" && $1 ~ /^\[[0-9]+\]$/ { requests += $2; if ($1 !~ /^\[[23]/) errors += $2 }
    section == "errors" && $1 ~ /^\[[0-9]+\]$/ { requests += $2; errors += $2 }
    END {
      if (rps == "" || p50 == "" || p90 == "" || p99 == "") exit 1
      printf "%.1f %d %d %.4f %.4f %.4f\n", rps, requests, errors, p50, p90, p99
    }' "$out" >"$out.figures" || { cat "$out" >&2; fail "could not read hey's figures ($2); its output is above"; }
  read -r fig_rps fig_requests fig_errors fig_p50 fig_p90 fig_p99 <"$out.figures"
}

# ---------------------------------------------------------------- nginx
start_nginx

# ---------------------------------------------------------------- freezing server
freeze_port=$(free_port)
cat >"$work/freeze_server.py" <<'PY'
# Answers "ok" at once, except while frozen: for the first FREEZE seconds of every PERIOD (monotonic clock) each
# reply waits until the freeze ends. asyncio, so hundreds of keep-alive connections wait at once; HTTP/1.1 with
# Content-Length, requests on a connection answered in order.
import asyncio, socket, sys, time

PORT, PERIOD, FREEZE = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"

async def serve(reader, writer):
    # No Nagle: a reply is one write, and must not wait for the client's delayed ACK of the one before.
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if length:
                await reader.readexactly(length)
            phase = time.monotonic() % PERIOD
            if phase < FREEZE:
                await asyncio.sleep(FREEZE - phase)
            writer.write(RESPONSE)
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()

async def main():
    # backlog: during a freeze the simulator opens a connection for every request it sends (up to 1000).
    server = await asyncio.start_server(serve, "127.0.0.1", PORT, backlog=4096)
    async with server:
        await server.serve_forever()

asyncio.run(main())
PY
say "starting the freezing server on 127.0.0.1:$freeze_port (python3 asyncio: frozen ${freeze_s} s of every ${period_s} s)"
python3 "$work/freeze_server.py" "$freeze_port" "$period_s" "$freeze_s" >"$work/freeze_server.log" 2>&1 &
pids+=($!)
freeze_url="http://127.0.0.1:$freeze_port"
if ! wait_for "$freeze_url/" 10 "${pids[-1]}"; then
  cat "$work/freeze_server.log" >&2
  fail "the freezing server did not answer on $freeze_url (its output is above)"
fi

nginx_errors=0
rss_mb() { calc "$1 / 1024"; }
ours_header() {
  printf '%-16s %8s %10s %8s %6s %6s %10s %9s %9s %9s %9s %9s %9s %8s\n' run target achieved requests errors late \
    max_lag_ms p50_ms p90_ms p99_ms raw_p50 raw_p90 raw_p99 rss_mb
}
ours_row() {
  printf '%-16s %8s %10.1f %8s %6s %6s %10.1f %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %8.1f\n' "$1" "$2" "$fig_rps" \
    "$fig_requests" "$fig_errors" "$fig_late" "$fig_lag" "$fig_p50" "$fig_p90" "$fig_p99" \
    "$fig_raw_p50" "$fig_raw_p90" "$fig_raw_p99" "$(rss_mb "$fig_rss_kb")"
}

# ---------------------------------------------------------------- 1. rate (and the 10 s memory baseline)
say "rate: ${low_rps} and ${high_rps} requests/s for ${run_seconds} s against nginx (--max-in-flight 1000)"
ours_header
run_ours "$nginx_url" "$low_rps" "$run_seconds" 1000 "rate-$low_rps"
ours_row "rate $low_rps" "$low_rps"
low_achieved=$fig_rps low_requests=$fig_requests low_late=$fig_late low_lag=$fig_lag
nginx_errors=$((nginx_errors + fig_errors))
run_ours "$nginx_url" "$high_rps" "$run_seconds" 1000 "rate-$high_rps"
ours_row "rate $high_rps" "$high_rps"
high_achieved=$fig_rps high_requests=$fig_requests high_late=$fig_late high_lag=$fig_lag high_late_own=$fig_late_own
nginx_errors=$((nginx_errors + fig_errors))

# ---------------------------------------------------------------- 2. closed-model throughput beside wrk
say "throughput: closed model, ${closed_in_flight} in flight for ${run_seconds} s against nginx, then wrk -t${wrk_threads} -c${closed_in_flight} -d${run_seconds}s"
ours_header
run_ours "$nginx_url" 0 "$run_seconds" "$closed_in_flight" closed
ours_row "closed $closed_in_flight" 0
our_closed_rps=$fig_rps
nginx_errors=$((nginx_errors + fig_errors))
run_wrk "$nginx_url/" nginx
printf '%-16s %8s %10.1f %8s %6s   (wrk p50 %.3f  p90 %.3f  p99 %.3f ms)\n' "wrk" 0 "$fig_rps" "$fig_requests" \
  "$fig_errors" "$fig_p50" "$fig_p90" "$fig_p99"
wrk_closed_rps=$fig_rps
nginx_errors=$((nginx_errors + fig_errors))

# ---------------------------------------------------------------- 3. memory: a long run beside a short one
say "memory: ${low_rps} requests/s for ${short_seconds} s, then for ${long_seconds} s against nginx (peak RSS)"
ours_header
run_ours "$nginx_url" "$low_rps" "$short_seconds" 1000 "memory-$short_seconds"
ours_row "rate $low_rps ${short_seconds}s" "$low_rps"
rss_short_kb=$fig_rss_kb
nginx_errors=$((nginx_errors + fig_errors))
run_ours "$nginx_url" "$low_rps" "$long_seconds" 1000 "memory-$long_seconds"
ours_row "rate $low_rps ${long_seconds}s" "$low_rps"
rss_long_kb=$fig_rss_kb long_requests=$fig_requests
nginx_errors=$((nginx_errors + fig_errors))

# ---------------------------------------------------------------- 4. latency against the freezing server
say "latency: the freezing server at ${freeze_rps} requests/s for ${run_seconds} s, --max-in-flight $freeze_in_flight then $closed_in_flight; then wrk and hey (closed, ${closed_in_flight} connections)"
ours_header
run_ours "$freeze_url" "$freeze_rps" "$run_seconds" "$freeze_in_flight" freeze
ours_row "freeze" "$freeze_rps"
fr_p50=$fig_p50 fr_p90=$fig_p90 fr_p99=$fig_p99 fr_raw_p50=$fig_raw_p50 fr_raw_p90=$fig_raw_p90 fr_raw_p99=$fig_raw_p99
fr_errors=$fig_errors fr_requests=$fig_requests fr_late=$fig_late fr_lag=$fig_lag
# With as few slots as wrk has connections, requests due during a freeze wait for a slot: the raw figures (from
# the actual send) then lose that wait, as a closed-model client's do, and the corrected ones must not.
run_ours "$freeze_url" "$freeze_rps" "$run_seconds" "$closed_in_flight" "freeze-$closed_in_flight"
ours_row "freeze $closed_in_flight slots" "$freeze_rps"
f50_p50=$fig_p50 f50_p90=$fig_p90 f50_p99=$fig_p99 f50_raw_p50=$fig_raw_p50 f50_raw_p90=$fig_raw_p90
f50_raw_p99=$fig_raw_p99 f50_errors=$fig_errors f50_requests=$fig_requests f50_late=$fig_late f50_lag=$fig_lag
printf '%-16s %10s %8s %6s %9s %9s %9s\n' client rps requests errors p50_ms p90_ms p99_ms
closed_row() { printf '%-16s %10.1f %8s %6s %9.3f %9.3f %9.3f\n' "$1" "$fig_rps" "$fig_requests" "$fig_errors" "$fig_p50" "$fig_p90" "$fig_p99"; }
run_wrk "$freeze_url/" freeze
closed_row wrk
wrk_p50=$fig_p50 wrk_p90=$fig_p90 wrk_p99=$fig_p99 wrk_fr_errors=$fig_errors
run_hey "$freeze_url/" freeze
closed_row hey
hey_p50=$fig_p50 hey_p90=$fig_p90 hey_p99=$fig_p99 hey_fr_errors=$fig_errors

# The true distribution for an open model: arrivals are spread evenly over the period, so a fraction
# f = freeze/period of them arrives in a freeze and waits for its end, uniformly between 0 and freeze; the rest
# are answered at once (service time only). So P(latency <= x) = (1 - f) + f * x / freeze for 0 <= x <= freeze,
# and the q-quantile is freeze * (q - (1 - f)) / f for q > 1 - f, else 0 plus the service time. It does not depend
# on the rate as long as the server keeps up with it between freezes.
true_ms() { awk -v q="$1" -v p="$period_s" -v z="$freeze_s" \
  'BEGIN { f = z / p; printf "%.1f", (q > 1 - f) ? 1000 * z * (q - (1 - f)) / f : 0 }'; }
true_p50=$(true_ms 0.50) true_p90=$(true_ms 0.90) true_p99=$(true_ms 0.99)
p90_low=$(awk -v t="$true_p90" -v w="$target_p90_pct" 'BEGIN { printf "%.1f", t * (1 - w / 100) }')
p90_high=$(awk -v t="$true_p90" -v w="$target_p90_pct" 'BEGIN { printf "%.1f", t * (1 + w / 100) }')
in_p90() { awk -v v="$1" -v lo="$p90_low" -v hi="$p90_high" 'BEGIN { print (v >= lo && v <= hi) ? "yes" : "no" }'; }

# ---------------------------------------------------------------- summary
is() { awk "BEGIN { exit !($1) }"; }
verdict_if() { if is "$1"; then echo PASS; else echo FAIL; fi; }
pct_off() { awk -v a="$1" -v t="$2" 'BEGIN { printf "%+.2f", 100 * (a - t) / t }'; }   # achieved target
fmt() { awk -v v="$1" -v d="$2" 'BEGIN { printf "%.*f", d, v }'; }
low_off=$(pct_off "$low_achieved" "$low_rps") high_off=$(pct_off "$high_achieved" "$high_rps")
low_requests_off=$(pct_off "$low_requests" "$((low_rps * run_seconds))")
high_verdict=$(verdict_if "($high_off <= $target_rate_pct) && ($high_off >= -$target_rate_pct)")
high_late_pct=$(awk -v l="$high_late" -v n="$high_requests" 'BEGIN { printf "%.1f", 100 * l / n }')
throughput_ratio=$(awk -v a="$our_closed_rps" -v b="$wrk_closed_rps" 'BEGIN { printf "%.3f", a / b }')
rss_short_mb=$(fmt "$(rss_mb "$rss_short_kb")" 1) rss_long_mb=$(fmt "$(rss_mb "$rss_long_kb")" 1)
rss_ratio=$(awk -v a="$rss_long_kb" -v b="$rss_short_kb" 'BEGIN { printf "%.3f", a / b }')
p90_off=$(pct_off "$fr_p90" "$true_p90")
trio() { printf '%s / %s / %s' "$(fmt "$1" 1)" "$(fmt "$2" 1)" "$(fmt "$3" 1)"; }
range="p90 in $p90_low-$p90_high"

say "summary ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $((SECONDS - bench_start)) s)"
# wrk -v prints its version line, then its usage.
echo "$(nginx -v 2>&1 | sed 's/.*: //'), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), hey $(dpkg-query -W -f '${Version}' hey 2>/dev/null || echo '?'), $(python3 -V 2>&1)"
printf '%-52s %26s  %-22s %s\n' figure value target verdict
row() { printf '%-52s %26s  %-22s %s\n' "$@"; }
row "rate $low_rps: achieved rps" "$low_achieved ($low_off %)" "$low_rps +- $target_rate_pct %" \
  "$(verdict_if "($low_off <= $target_rate_pct) && ($low_off >= -$target_rate_pct)")"
row "rate $low_rps: requests in ${run_seconds} s" "$low_requests ($low_requests_off %)" \
  "$((low_rps * run_seconds)) +- $target_rate_pct %" \
  "$(verdict_if "($low_requests_off <= $target_rate_pct) && ($low_requests_off >= -$target_rate_pct)")"
row "rate $low_rps: late sends / max lag" "$low_late / $(fmt "$low_lag" 1) ms" "information" ""
row "rate $high_rps: achieved rps" "$high_achieved ($high_off %)" "$high_rps +- $target_rate_pct %" "$high_verdict"
row "rate $high_rps: late sends / max lag" "$high_late ($high_late_pct %) / $(fmt "$high_lag" 1) ms" "information" ""
row "rate $high_rps: late through the generator" "$high_late_own" "reported" ""
row "throughput: ours, closed, $closed_in_flight in flight (rps)" "$(fmt "$our_closed_rps" 0)" "" ""
row "throughput: wrk -t$wrk_threads -c$closed_in_flight (rps)" "$(fmt "$wrk_closed_rps" 0)" "" ""
row "throughput: ratio ours / wrk" "$throughput_ratio" ">= $target_throughput" \
  "$(verdict_if "$throughput_ratio >= $target_throughput")"
row "memory: peak RSS, ${short_seconds} s at $low_rps rps (MB)" "$rss_short_mb" "" ""
row "memory: peak RSS, ${long_seconds} s at $low_rps rps (MB)" "$rss_long_mb" "" ""
row "memory: ratio ${long_seconds} s / ${short_seconds} s" "$rss_ratio" "<= $target_memory" \
  "$(verdict_if "$rss_ratio <= $target_memory")"
row "nginx: errors, all our runs and wrk" "$nginx_errors" "0" "$(verdict_if "$nginx_errors == 0")"
row "freeze: true p50 / p90 / p99, open model (ms)" "~0 / $true_p90 / $true_p99" "" ""
row "freeze: ours corrected p50 / p90 / p99 (ms)" "$(trio "$fr_p50" "$fr_p90" "$fr_p99")" "" ""
row "freeze: ours corrected p90 against true" "$(fmt "$fr_p90" 1) ($p90_off %)" \
  "$true_p90 +- $target_p90_pct %" "$(verdict_if "($fr_p90 >= $p90_low) && ($fr_p90 <= $p90_high)")"
row "freeze: ours raw p50 / p90 / p99 (ms)" "$(trio "$fr_raw_p50" "$fr_raw_p90" "$fr_raw_p99")" \
  "$range: $(in_p90 "$fr_raw_p90")" ""
row "freeze: ours late sends / max lag" "$fr_late / $(fmt "$fr_lag" 1) ms" "information" ""
row "freeze, $closed_in_flight slots: ours corrected p50/p90/p99" "$(trio "$f50_p50" "$f50_p90" "$f50_p99")" \
  "$range: $(in_p90 "$f50_p90")" ""
row "freeze, $closed_in_flight slots: ours raw p50/p90/p99" "$(trio "$f50_raw_p50" "$f50_raw_p90" "$f50_raw_p99")" \
  "$range: $(in_p90 "$f50_raw_p90")" ""
row "freeze, $closed_in_flight slots: ours late sends / max lag" "$f50_late / $(fmt "$f50_lag" 1) ms" "information" ""
row "freeze: wrk p50 / p90 / p99 (ms)" "$(trio "$wrk_p50" "$wrk_p90" "$wrk_p99")" "$range: $(in_p90 "$wrk_p90")" ""
row "freeze: hey p50 / p90 / p99 (ms)" "$(trio "$hey_p50" "$hey_p90" "$hey_p99")" "$range: $(in_p90 "$hey_p90")" ""
row "freeze: errors, ours / ours $closed_in_flight slots / wrk / hey" \
  "$fr_errors / $f50_errors / $wrk_fr_errors / $hey_fr_errors" "information" ""
row "load average (1 min) at start / end" "$load_start / $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')" \
  "information" ""
exit 0
