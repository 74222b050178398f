#!/usr/bin/env bash
# Runs one simulate_bottleneck schedule from N machines over SSH, then merges their results here.
#
#   deploy/ssh/fanout.sh HOSTS_FILE [simulate_bottleneck options, without --shard, --start-at, --output]
#
# HOSTS_FILE: one ssh destination a line (user@host or a Host of ~/.ssh/config; # comments and blank lines skipped).
# Host K of N runs --shard K/N with the same --rps (the TOTAL rate) and the same --start-at, LEAD seconds from now.
# Each host needs a checkout at REMOTE_DIR (built once with ./simulate_bottleneck --help) and a synchronised clock.
# Environment: REMOTE_DIR (default perftools, relative to the remote home), LEAD (default 30 s), OUT (default
# reports/fanout-<time>), SSH and SCP (default ssh and scp; the tests put stand-ins here).
set -euo pipefail

if [[ $# -lt 1 || ! -r "$1" ]]; then
  echo "usage: $0 HOSTS_FILE [simulate_bottleneck options]" >&2
  exit 2
fi
hosts_file="$1"
shift
for arg in "$@"; do
  case "$arg" in
    --shard|--start-at|--output|--merge) echo "$0: $arg is set by this script; leave it out" >&2; exit 2 ;;
  esac
done

mapfile -t hosts < <(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$hosts_file")
n=${#hosts[@]}
if [[ $n -eq 0 ]]; then
  echo "$0: $hosts_file names no host" >&2
  exit 2
fi

ssh_cmd="${SSH:-ssh}"
scp_cmd="${SCP:-scp}"
remote_dir="${REMOTE_DIR:-perftools}"
start_at=$(( $(date +%s) + ${LEAD:-30} ))
out="${OUT:-reports/fanout-$(date +%Y%m%d_%H%M%S)}"
mkdir -p "$out/parts"

# The options, quoted for the remote shell.
quoted=""
for arg in "$@"; do
  quoted+=" $(printf '%q' "$arg")"
done

echo "fanout: $n hosts, schedule starts at $start_at ($(date -u -d "@$start_at" +%Y-%m-%dT%H:%M:%SZ))"
pids=()
for k in $(seq 1 "$n"); do
  host="${hosts[$((k - 1))]}"
  # One folder per shard, also when hosts share a home (NFS) or a host is listed twice.
  remote_out="reports/shard-$start_at-$k"
  "$ssh_cmd" "$host" "cd $(printf '%q' "$remote_dir") && ./simulate_bottleneck$quoted --shard $k/$n --start-at $start_at --output $remote_out" \
    > "$out/shard-$k.log" 2>&1 &
  pids+=("$!")
done

failed=0
for k in $(seq 1 "$n"); do
  if ! wait "${pids[$((k - 1))]}"; then
    echo "fanout: shard $k/$n on ${hosts[$((k - 1))]} failed (see $out/shard-$k.log)" >&2
    failed=1
  fi
done

for k in $(seq 1 "$n"); do
  host="${hosts[$((k - 1))]}"
  mkdir -p "$out/parts/shard-$k"
  "$scp_cmd" -q "$host:$remote_dir/reports/shard-$start_at-$k/simulation_*" "$out/parts/shard-$k/" || failed=1
done

if [[ $failed -ne 0 ]]; then
  echo "fanout: not every shard finished and came back; nothing merged (the parts are in $out/parts)" >&2
  exit 1
fi

# --merge searches the folder's subfolders: every shard-K/ at once.
"$(dirname "${BASH_SOURCE[0]}")/../../simulate_bottleneck" --merge "$out/parts" --output "$out"
