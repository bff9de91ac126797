#!/usr/bin/env bash
# Swaps the previous version back (inside the keep_blue window, before cleanup).
. "$(dirname "$0")/common.sh"

status=0
bgplan rollback "$BGPLAN_FILE" || status=$?
status_summary
exit "$status"
