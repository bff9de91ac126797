#!/usr/bin/env bash
# For the hourly schedule: drops the old version of each promoted deployment whose keep_blue
# window has passed, says when the others are due, and exits 0 when nothing is due.
. "$(dirname "$0")/common.sh"

status=0
bgplan cleanup "$BGPLAN_FILE" --when-due || status=$?
status_summary
exit "$status"
