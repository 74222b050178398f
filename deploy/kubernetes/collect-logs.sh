#!/usr/bin/env bash
# Collects the shards' .hlog/.json/.csv from the pod logs of the Indexed Job (job.yaml prints them base64-encoded
# between markers), then merges them: deploy/kubernetes/collect-logs.sh [JOB] [FOLDER]
set -euo pipefail
job="${1:-perftools-sim}"
folder="${2:-reports/$job}"
mkdir -p "$folder/parts"
for pod in $(kubectl get pods -l "job-name=$job" -o name); do
  name=""
  while IFS= read -r line; do
    case "$line" in
      "=== BEGIN "*) name="${line#=== BEGIN }" ;;
      "=== END") name="" ;;
      *) if [[ -n "$name" ]]; then
           # The pod name keeps two shards that wrote in the same second apart.
           printf '%s' "$line" | base64 -d > "$folder/parts/${pod#pod/}-$name"
         fi ;;
    esac
  done < <(kubectl logs "$pod")
done
# Each part's three files must share a stem: rename pod-X-simulation_… to simulation_…_pod-X.
for f in "$folder"/parts/*-simulation_*; do
  base="$(basename "$f")"
  pod="${base%%-simulation_*}"
  rest="simulation_${base#*-simulation_}"
  mv "$f" "$folder/parts/${rest%.*}_${pod}.${rest##*.}"
done
"$(dirname "${BASH_SOURCE[0]}")/../../simulate_bottleneck" --merge "$folder/parts" --output "$folder"
