#!/usr/bin/env bash
# Pull requests (no database): static checks, and the SQL of every phase as Markdown for review.
. "$(dirname "$0")/common.sh"

bgplan check "$BGPLAN_FILE"
bgplan --format markdown compile "$BGPLAN_FILE" > "$BGPLAN_ARTIFACTS/compile.md"
summary "$BGPLAN_ARTIFACTS/compile.md"
