#!/usr/bin/env bash
# Whether the --baseline comparison keeps quiet when nothing changed and speaks when something did (issue 13):
#   1. A/A, analyzer: pairs of unchanged `performance_analyzer --test-all` runs against the --fixed sample API, the
#      second with --baseline the first; a fresh API process per pair, then one process for all pairs;
#   2. A/A, simulator: the same with `simulate_bottleneck --scenario load --duration 10`;
#   3. planted change: `performance_analyzer --endpoint /d --iterations 50` against a server sleeping 10 ms, then
#      against one sleeping 12 ms (+20 %: must read slower) or 10.2 ms (+2 %, inside --min-change-pct 5: must read
#      no significant change), with --baseline the first.
# The verdicts are read from each second run's comparison_*.csv and counted per part.
# Everything listens on 127.0.0.1 on free ports and is stopped on exit; the goals are reported, not enforced:
# exit 0 when the bench ran, 1 when something it needs could not run (or a run failed), 130/143 when interrupted.
# Usage: bench/verdicts.sh   (from any folder; about 12 minutes on 2 cores; see bench/README.md)
#        SIM_SCENARIOS="load n_plus_1" bench/verdicts.sh   adds n_plus_1 to part 2 (about 6 minutes more)
#        PARTS="analyzer" bench/verdicts.sh   only the parts named (analyzer, simulator, planted; default all three)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

pairs=${PAIRS:-5}           # pairs per A/A mode, repeats per planted change (PAIRS=1: a quick try of the script)
seed=5                     # forum_api --seed, as docs/simulate_bottleneck.md uses it
sim_seconds=10
read -r -a sim_scenarios <<<"${SIM_SCENARIOS:-load}"
parts=" ${PARTS:-analyzer simulator planted} "
for part in $parts; do
  case "$part" in analyzer|simulator|planted) ;; *) echo "bench: PARTS: unknown part '$part' (write analyzer, simulator or planted)" >&2; exit 1 ;; esac
done
wants() { [[ "$parts" == *" $1 "* ]]; }
planted_iterations=50
planted_base_ms=10
planted_slower_ms=12       # +20 %
planted_small_ms=10.2      # +2 %, inside the default --min-change-pct of 5

work=$(mktemp -d -t perftools-bench.XXXXXX)
pids=()
api_pid="" server_pid=""
# shellcheck disable=SC2086,SC2317 # the EXIT trap calls it; $api_pid unquoted: an empty id is no word at all
cleanup() {
  for pid in "${pids[@]}" $api_pid $server_pid; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}" $api_pid $server_pid; do wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 130' INT
trap 'echo "bench: terminated" >&2; exit 143' TERM

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

"$root/scripts/ensure-packages" bench python3:python3 || fail "the package above is needed (python3)"
command -v timeout >/dev/null 2>&1 || fail "timeout (coreutils) is needed"
load_start=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
started=$SECONDS

# Build through the launchers, then run copies of the builds: an A/A pair must be the same program on both sides,
# and the launcher rebuilds when a source is newer than its build (someone editing the tree mid-run).
say "building forum_api, performance_analyzer, simulate_bottleneck (first use, or their sources changed)"
bin="$work/bin"
mkdir -p "$bin"
for tool in forum_api performance_analyzer simulate_bottleneck; do
  run_stoppable "$work/build-$tool.log" timeout 900 "$root/$tool" --help \
    || { tail -5 "$work/build-$tool.log" >&2; fail "$tool did not build or start ($root/$tool --help)"; }
  [ -x "$root/.build/$tool/$tool" ] || fail "no built program in .build/$tool"
  cp -a "$root/.build/$tool" "$bin/$tool" || fail "could not copy the built $tool"
done
# The commit the copies were built from (as far as the tree says: the launcher builds what is on disk).
built_from="main at $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet HEAD -- \
  Shared PerformanceAnalyzer BottleneckSimulator samples 2>/dev/null || echo ' (with uncommitted changes)')"
analyzer="$bin/performance_analyzer/performance_analyzer"
simulator="$bin/simulate_bottleneck/simulate_bottleneck"

# Closed port for --jaeger-url: the analyzer says "Jaeger unreachable" once per run and goes on.
jaeger_url="http://127.0.0.1:$(free_port)"
# The API's default SQLite file goes to its temp folder: this one, so nothing is left behind even after a kill -9.
mkdir -p "$work/tmp"

start_api() { # sets api_url, api_pid
  local port
  port=$(free_port)
  api_url="http://127.0.0.1:$port"
  TMPDIR="$work/tmp" "$bin/forum_api/forum_api" --urls "$api_url" --seed "$seed" --fixed >>"$work/api.log" 2>&1 &
  api_pid=$!
  wait_for "$api_url/health" 120 "$api_pid" || { tail -5 "$work/api.log" >&2; fail "the Forum API did not start on $api_url"; }
}
stop_api() {
  [ -n "$api_pid" ] || return 0
  kill "$api_pid" 2>/dev/null
  timeout 30 tail --pid="$api_pid" -f /dev/null 2>/dev/null || kill -9 "$api_pid" 2>/dev/null
  wait "$api_pid" 2>/dev/null
  api_pid=""
}
start_planted() { # delay-ms: sets planted_url, server_pid
  local port
  port=$(free_port)
  planted_url="http://127.0.0.1:$port"
  python3 "$root/bench/planted_server.py" "$port" "$1" >>"$work/planted.log" 2>&1 &
  server_pid=$!
  wait_for "$planted_url/d" 10 "$server_pid" || { tail -5 "$work/planted.log" >&2; fail "the planted server did not start"; }
}
stop_planted() {
  [ -n "$server_pid" ] || return 0
  kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null
  server_pid=""
}

# Every verdict of every comparison, one line each: part, mode, repeat, label, verdict, p_adjusted, shift_ms,
# shift_pct, uncorrected_verdict, and what the corrected latency alone said (for the simulator's inconclusive rows).
verdicts="$work/verdicts.tsv"
: >"$verdicts"
failed_runs=0

# Reads the comparison_*.csv in a folder into $verdicts and prints one line for the pair; false when there is none.
collect() { # folder part mode repeat
  python3 - "$@" >>"$verdicts" 2>"$work/collect.err" <<'PY'
import csv, glob, sys
folder, part, mode, repeat = sys.argv[1:5]
files = glob.glob(folder + "/comparison_*.csv")
if len(files) != 1:
    sys.exit("expected one comparison_*.csv in %s, found %d" % (folder, len(files)))
for r in csv.DictReader(open(files[0], newline="", encoding="utf-8")):
    corrected = ""
    if r["p_adjusted"]:
        # The verdict rule of docs/comparing-runs.md, on the corrected latency alone.
        significant = float(r["p_adjusted"]) < float(r["alpha"])
        corrected = ("faster" if float(r["p_faster"]) < float(r["p_slower"]) else "slower") if significant \
            else "no significant change"
    print("\t".join([part, mode, repeat, r["label"], r["verdict"], r["p_adjusted"], r["shift_ms"], r["shift_pct"],
                     r["uncorrected_verdict"], corrected]))
PY
  local rc=$?
  [ $rc -eq 0 ] || { cat "$work/collect.err" >&2; return 1; }
  awk -F'\t' -v p="$2" -v m="$3" -v r="$4" '
    $1 == p && $2 == m && $3 == r { n++; c[$5]++
      if ($5 != "no significant change") odd = odd sprintf("\n      %s: %s (p_adjusted %.3g, shift %s ms, %s %%%s)", $4, $5, $6, $7, $8,
        $5 == "inconclusive" ? ", corrected: " $10 "; uncorrected: " $9 : "") }
    END { line = ""; for (v in c) line = line (line == "" ? "" : ", ") c[v] " " v
          printf "  %s %s %s: %d labels: %s%s\n", p, m, r, n, line, odd }' "$verdicts"
}

# One tool run in the background (so Ctrl+C stops it); a failure is counted and shown, and the bench goes on.
tool_run() { # label seconds command...
  local label="$1" seconds="$2"; shift 2
  run_stoppable "$work/$label.log" timeout "$seconds" "$@"
  local rc=$?
  if [ $rc -ne 0 ]; then
    echo "  $label: failed (exit $rc; 124: the timeout of $seconds s); the end of its output:" >&2
    tail -5 "$work/$label.log" >&2
    failed_runs=$((failed_runs + 1))
    return 1
  fi
}

# An A/A pair: run A, then run B with --baseline A, each into its own folder; the verdicts of B are collected.
aa_analyzer() { # mode repeat
  local a="$work/analyzer-$1-$2-a" b="$work/analyzer-$1-$2-b"
  mkdir -p "$a" "$b"
  tool_run "analyzer-$1-$2-a" 300 "$analyzer" --base-url "$api_url" --test-all --output "$a" --jaeger-url "$jaeger_url" &&
    tool_run "analyzer-$1-$2-b" 300 "$analyzer" --base-url "$api_url" --test-all --output "$b" --jaeger-url "$jaeger_url" \
      --baseline "$a" &&
    { collect "$b" analyzer "$1" "$2" || { echo "  analyzer $1 $2: no comparison read" >&2; failed_runs=$((failed_runs + 1)); }; }
}
aa_simulator() { # mode repeat scenario
  local a="$work/sim-$3-$1-$2-a" b="$work/sim-$3-$1-$2-b"
  mkdir -p "$a" "$b"
  tool_run "sim-$3-$1-$2-a" 120 "$simulator" --base-url "$api_url" --scenario "$3" --duration "$sim_seconds" --output "$a" &&
    tool_run "sim-$3-$1-$2-b" 120 "$simulator" --base-url "$api_url" --scenario "$3" --duration "$sim_seconds" --output "$b" \
      --baseline "$a" &&
    { collect "$b" "simulator-$3" "$1" "$2" || { echo "  simulator $3 $1 $2: no comparison read" >&2; failed_runs=$((failed_runs + 1)); }; }
}

# ---------------------------------------------------------------- 1. A/A, analyzer
if wants analyzer; then
say "A/A, analyzer: $pairs pairs of --test-all against the --fixed API (SQLite, --seed $seed), a fresh API process per pair"
for i in $(seq 1 "$pairs"); do
  start_api; aa_analyzer fresh "$i"; stop_api
done
say "A/A, analyzer: $pairs pairs of --test-all against one API process"
start_api
for i in $(seq 1 "$pairs"); do aa_analyzer same "$i"; done
stop_api
fi

# ---------------------------------------------------------------- 2. A/A, simulator
wants simulator || sim_scenarios=()
for scenario in "${sim_scenarios[@]}"; do
  say "A/A, simulator: $pairs pairs of --scenario $scenario --duration $sim_seconds, a fresh API process per pair"
  for i in $(seq 1 "$pairs"); do
    start_api; aa_simulator fresh "$i" "$scenario"; stop_api
  done
  say "A/A, simulator: $pairs pairs of --scenario $scenario --duration $sim_seconds against one API process"
  start_api
  for i in $(seq 1 "$pairs"); do aa_simulator same "$i" "$scenario"; done
  stop_api
done

# ---------------------------------------------------------------- 3. planted change
planted() { # delay-after-ms mode repeat
  local a="$work/planted-$2-$3-a" b="$work/planted-$2-$3-b"
  mkdir -p "$a" "$b"
  start_planted "$planted_base_ms"
  tool_run "planted-$2-$3-a" 120 "$analyzer" --base-url "$planted_url" --endpoint /d --iterations "$planted_iterations" \
    --output "$a" --jaeger-url "$jaeger_url"
  local rc=$?
  stop_planted
  [ $rc -eq 0 ] || return 1
  start_planted "$1"
  tool_run "planted-$2-$3-b" 120 "$analyzer" --base-url "$planted_url" --endpoint /d --iterations "$planted_iterations" \
    --output "$b" --jaeger-url "$jaeger_url" --baseline "$a"
  rc=$?
  stop_planted
  [ $rc -eq 0 ] || return 1
  collect "$b" planted "$2" "$3" || { echo "  planted $2 $3: no comparison read" >&2; failed_runs=$((failed_runs + 1)); }
}
if wants planted; then
  say "planted change: --endpoint /d --iterations $planted_iterations, $planted_base_ms ms then $planted_slower_ms ms (+20 %), $pairs repeats"
  for i in $(seq 1 "$pairs"); do planted "$planted_slower_ms" "+20%" "$i"; done
  say "planted change: $planted_base_ms ms then $planted_small_ms ms (+2 %, inside --min-change-pct 5), $pairs repeats"
  for i in $(seq 1 "$pairs"); do planted "$planted_small_ms" "+2%" "$i"; done
fi

# ---------------------------------------------------------------- summary
load_end=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
say "summary ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $load_start at start, $load_end at end, $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s)"
echo "tools built from $built_from; dotnet $(dotnet --version 2>/dev/null || echo '?'), $(python3 --version 2>&1)"
PARTS="$parts" python3 - "$verdicts" "$pairs" "${sim_scenarios[@]}" <<'PY'
import collections, os, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
pairs, scenarios = int(sys.argv[2]), sys.argv[3:]
NSC = "no significant change"
p3 = lambda p: "%.3g" % float(p) if p else "-"

# (part, mode, title, what counts against the goal, the goal as words, the test of the counts)
def zero(names):
    return lambda c: all(c[n] == 0 for n in names)
parts = [("analyzer", m, "A/A analyzer --test-all, %s" % t, "0 faster/slower/inconclusive",
          zero(["faster", "slower", "inconclusive"])) for m, t in (("fresh", "fresh process"), ("same", "same process"))]
for s in scenarios:
    parts += [("simulator-" + s, m, "A/A simulator %s, %s" % (s, t), "0 faster/slower",
               zero(["faster", "slower"])) for m, t in (("fresh", "fresh process"), ("same", "same process"))]
parts += [("planted", "+20%", "planted 10 -> 12 ms (+20 %)", "slower in %d of %d" % (pairs, pairs),
           lambda c, n: c["slower"] == pairs and n == pairs),
          ("planted", "+2%", "planted 10 -> 10.2 ms (+2 %)", "no change in %d of %d" % (pairs, pairs),
           lambda c, n: c[NSC] == pairs and n == pairs)]

wanted = os.environ["PARTS"].split()
parts = [p for p in parts if p[0].split("-")[0] in wanted]
fmt = "%-40s %7s %6s %6s %6s %12s %9s %5s  %-28s %s"
print(fmt % ("part", "repeats", "labels", "faster", "slower", "inconclusive", "no_change", "other", "goal", "result"))
for part, mode, title, goal, ok in parts:
    mine = [r for r in rows if r[0] == part and r[1] == mode]
    c = collections.Counter(r[4] for r in mine)
    repeats = len({r[2] for r in mine})
    other = len(mine) - sum(c[v] for v in ("faster", "slower", "inconclusive", NSC))
    passed = ok(c, repeats) if part == "planted" else (ok(c) and repeats == pairs)
    print(fmt % (title, "%d/%d" % (repeats, pairs), len(mine), c["faster"], c["slower"], c["inconclusive"], c[NSC],
                 other, goal, "PASS" if passed else "FAIL"))

odd = [r for r in rows if r[4] != NSC and not (r[0] == "planted" and r[1] == "+20%" and r[4] == "slower")]
if odd:
    print("\nverdicts against the goal, and the simulator's inconclusive rows:")
    for r in odd:
        extra = " (corrected: %s; uncorrected: %s)" % (r[9], r[8]) if r[4] == "inconclusive" else ""
        print("  %s %s pair %s: %s: %s%s, p_adjusted %s, shift %s ms (%s %%)" % (r[0], r[1], r[2], r[3], r[4], extra,
              p3(r[5]), r[6] or "-", r[7] or "-"))
slower = [r for r in rows if r[0] == "planted" and r[1] == "+20%"]
if slower:
    print("\nplanted +20 %%: shift %s %% (the planted change is +20 %%), p_adjusted %s" %
          (" ".join(r[7] for r in slower), " ".join(p3(r[5]) for r in slower)))
small = [r for r in rows if r[0] == "planted" and r[1] == "+2%"]
if small:
    print("planted +2 %%: shift %s %% (planted +2 %%), p_adjusted %s" %
          (" ".join(r[7] for r in small), " ".join(p3(r[5]) for r in small)))
PY
if [ "$failed_runs" -gt 0 ]; then
  echo "bench: $failed_runs run(s) failed (their output is above); the counts cover the rest" >&2
  exit 1
fi
exit 0
