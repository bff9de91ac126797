#!/usr/bin/env bash
# Plans the promote (the swap, the cut-over of the sinks) against the live catalog, with green
# built: plan.json for the promote job, plan.md (the SQL and the rule results) for the reviewer.
# Read-only. Exit 3 when promote would refuse (the summary says why).
. "$(dirname "$0")/common.sh"

status=0
bgplan --format markdown plan "$BGPLAN_FILE" --phase "${BGPLAN_PHASE:-promote}" \
  -o "$BGPLAN_ARTIFACTS/plan.json" --detailed-exitcode > "$BGPLAN_ARTIFACTS/plan.md" || status=$?
summary "$BGPLAN_ARTIFACTS/plan.md"
case "$status" in
  0) output changes false ;;
  2) output changes true; status=0 ;;  # --detailed-exitcode: there is something to do
esac
exit "$status"
