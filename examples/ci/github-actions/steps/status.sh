#!/usr/bin/env bash
# Where each deployment stands, as Markdown (artifacts and summary). Read-only.
. "$(dirname "$0")/common.sh"

bgplan --format markdown status "$BGPLAN_FILE" > "$BGPLAN_ARTIFACTS/status.md"
summary "$BGPLAN_ARTIFACTS/status.md"
