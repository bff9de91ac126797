#!/usr/bin/env bash
# Runs the reviewed plan file, not the .bgplan file: the statements the reviewer saw. When the
# catalog changed since the plan was made, promote refuses with stale-plan (exit 3) and changes
# nothing: run the plan job again and review again.
. "$(dirname "$0")/common.sh"
plan="$BGPLAN_ARTIFACTS/plan.json"
[ -f "$plan" ] || { echo "promote.sh: no $plan (download the plan job's artifact)" >&2; exit 64; }

status=0
bgplan promote "$plan" || status=$?
status_summary
exit "$status"
