#!/usr/bin/env bash
# What the sample API's database bottlenecks cost on a real PostgreSQL, and what --fixed gives back, measured with
# the project's own tools (wrk beside the analyzer on the same route, as a check of the analyzer's figure):
#   1. the N+1 route GET /boards/{id}/posts of a board with 20 posts: p50, buggy and --fixed;
#   2. a comment list GET /posts/{id}/comments: p50 without and with the index, and the comments table's row count;
#   3. the connection_pool scenario: the fast route's corrected p50/p99 and 503s, and the pool's peak waiters (Npgsql's
#      pending-requests gauge, sampled from /metrics every 0.2 s), buggy and --fixed.
# Three rounds, each buggy then fixed on the same database (the API restarted in between), medians reported.
# Everything listens on 127.0.0.1 on free ports and is stopped on exit; exit 0 when the bench ran, 1 when something
# it needs could not run, 130/143 when interrupted.
# Usage: bench/database_bottlenecks.sh   (from any folder; see bench/README.md)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

rounds=3
posts_iterations=15 comments_iterations=40 pool_seconds=15

work=$(mktemp -d -t perftools-bench.XXXXXX)
pgdir=$(mktemp -u -d /tmp/perftools-bench-pg.XXXXXX)
pids=()
api_pid=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  [ -d "$pgdir" ] && "$root/scripts/throwaway-postgres" stop "$pgdir" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 130' INT
trap 'echo "bench: terminated" >&2; exit 143' TERM

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

"$root/scripts/ensure-packages" bench wrk:wrk python3:python3 curl:curl || fail "the packages above are needed (wrk, python3, curl)"
load_start=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
for tool in forum_api performance_analyzer simulate_bottleneck; do
  "$root/$tool" --help >/dev/null 2>&1 || fail "$tool did not build"
done

say "starting a throwaway PostgreSQL"
db_url=$("$root/scripts/throwaway-postgres" start "$pgdir" forum) || fail "no PostgreSQL (see the line above)"
api_port=$(free_port)
api_url="http://127.0.0.1:$api_port"
jaeger_url="http://127.0.0.1:$(free_port)" # closed: the analyzer says so once and goes on

start_api() { # extra options...
  [ -n "$api_pid" ] && { kill "$api_pid" 2>/dev/null; wait "$api_pid" 2>/dev/null; }
  "$root/forum_api" --urls "$api_url" --db "$db_url" --seed 5 "$@" >"$work/api.log" 2>&1 &
  api_pid=$!
  pids+=($api_pid)
  wait_for "$api_url/health" 120 "$api_pid" || { tail -3 "$work/api.log" >&2; fail "the Forum API did not start"; }
}

# The analyzer's p50 of one route, from its summary CSV.
analyzer_p50() { # endpoint iterations label
  local out="$work/$3"
  mkdir -p "$out"
  run_stoppable "$out/console.txt" timeout 900 "$root/performance_analyzer" --base-url "$api_url" --endpoint "$1" \
    --iterations "$2" --warmup 2 --delay-ms 0 --output "$out" --jaeger-url "$jaeger_url" ||
    { tail -5 "$out/console.txt" >&2; fail "performance_analyzer failed ($3)"; }
  python3 - "$out" <<'PY' || fail "could not read the analyzer's summary ($3)"
import csv, glob, sys
row = next(csv.DictReader(open(glob.glob(sys.argv[1] + "/performance_summary_*.csv")[0], newline="", encoding="utf-8")))
if row["errors"] != "0":
    sys.exit("errors: " + row["errors"])
print(row["p50_ms"])
PY
}

wrk_p50() { # endpoint seconds label: wrk's 50% line, in ms
  run_stoppable "$work/$3.wrk" wrk -t1 -c1 -d"$2"s --timeout 30s --latency "$api_url$1" || fail "wrk failed ($3)"
  awk '$1 == "50%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
        printf "%.3f\n", u == "us" ? v / 1000 : u == "s" ? v * 1000 : v }' "$work/$3.wrk"
}

# The connection_pool scenario; prints "p50 p99 503s peak_pending" of the fast route (corrected latency).
pool_run() { # label
  local out="$work/$1"
  mkdir -p "$out"
  ( while :; do curl -fsS "$api_url/metrics" 2>/dev/null | awk '/^npgsql_db_client_connection_npgsql_pending_requests/ { print $2 }'; sleep 0.2; done ) >"$out/pending" &
  local sampler=$!
  run_stoppable "$out/console.txt" timeout 300 "$root/simulate_bottleneck" --base-url "$api_url" --scenario connection_pool \
    --duration "$pool_seconds" --output "$out"
  local rc=$?
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
  [ $rc -le 1 ] || { tail -5 "$out/console.txt" >&2; fail "simulate_bottleneck failed ($1)"; }
  python3 - "$out" <<'PY' || fail "could not read the simulation report ($1)"
import glob, json, sys
d = json.load(open(glob.glob(sys.argv[1] + "/simulation_connection_pool_*.json")[0], encoding="utf-8"))
fast = next((v for v in d.get("routes", {}).values() if v.get("headline")), d)
codes = fast.get("status_codes", {})
pending = [float(x) for x in open(sys.argv[1] + "/pending").read().split() if x]
print("%.1f %.1f %d %d" % (fast["latency_ms"]["p50"], fast["latency_ms"]["p99"], codes.get("503", 0), max(pending, default=0)))
PY
}

make_board() { # a board with 20 posts; prints its id
  local board
  board=$(curl -fsS -X POST -H 'Content-Type: application/json' -d '{"name":"bench","description":"20 posts"}' "$api_url/boards" |
    sed -n 's/.*"id":\([0-9]*\).*/\1/p')
  [ -n "$board" ] || fail "could not create a board"
  for i in $(seq 1 20); do
    curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' \
      -d "{\"board_id\":$board,\"title\":\"p$i\",\"content\":\"c\",\"author\":\"bench\"}" "$api_url/posts" || fail "could not create posts"
  done
  echo "$board"
}

results="$work/results"
: >"$results"
for round in $(seq 1 "$rounds"); do
  for mode in buggy fixed; do
    say "round $round: $mode"
    if [ "$mode" = fixed ]; then start_api --fixed; else start_api; fi
    board=$(make_board)
    posts=$(analyzer_p50 "/boards/$board/posts" "$posts_iterations" "posts-$round-$mode")
    posts_wrk=$(wrk_p50 "/boards/$board/posts" 10 "posts-$round-$mode")
    comments=$(analyzer_p50 "/posts/2/comments" "$comments_iterations" "comments-$round-$mode")
    read -r pool_p50 pool_p99 pool_503 pool_pending <<<"$(pool_run "pool-$round-$mode")"
    echo "$round $mode $posts $posts_wrk $comments $pool_p50 $pool_p99 $pool_503 $pool_pending" | tee -a "$results"
  done
done
rows=$(psql "$db_url" -X -tA -c 'SELECT count(*) FROM comments' 2>/dev/null || echo '?')

say "results (ms; the comments table holds $rows rows; load average $load_start at start, $(cut -d' ' -f1 /proc/loadavg) at end)"
python3 - "$results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
cols = ["posts p50", "posts p50 (wrk)", "comments p50", "pool fast p50", "pool fast p99", "pool 503s", "pool peak waiters"]
print("%-6s %-6s " % ("round", "mode") + " ".join("%18s" % c for c in cols))
for r in rows:
    print("%-6s %-6s " % (r[0], r[1]) + " ".join("%18s" % v for v in r[2:]))
print()
med = {m: [statistics.median(float(r[i]) for r in rows if r[1] == m) for i in range(2, 9)] for m in ("buggy", "fixed")}
print("%-13s " % "median" + " ".join("%18s" % c for c in cols))
for m in ("buggy", "fixed"):
    print("%-13s " % m + " ".join("%18.2f" % v for v in med[m]))
print("%-13s " % "buggy/fixed" + " ".join("%18s" % ("%.1f" % (b / f) if f else "-") for b, f in zip(med["buggy"], med["fixed"])))
PY
