# Sourced by every step script of the GitHub Actions kit (examples/ci/github-actions/README.md).
# Inputs, all from the environment (the workflow sets them; tests/integration/ci_kit_pg_test.cc
# sets them to run the steps against a local PostgreSQL):
#   BGPLAN_FILE       the .bgplan file (required)
#   BGPLAN_URL        the connection, from a secret (bgplan reads it; never printed)
#   BGPLAN_ARTIFACTS  where plan.json and the Markdown reports go (default: bgplan-artifacts)
#   GITHUB_STEP_SUMMARY, GITHUB_OUTPUT   set by GitHub; optional elsewhere
set -euo pipefail

: "${BGPLAN_FILE:?set BGPLAN_FILE to the .bgplan file}"
BGPLAN_ARTIFACTS="${BGPLAN_ARTIFACTS:-bgplan-artifacts}"
mkdir -p "$BGPLAN_ARTIFACTS"

# Appends a Markdown file to the job's summary page (when there is one).
summary() {
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$1" >> "$GITHUB_STEP_SUMMARY"
  fi
}

# Records a step output (when there is a GITHUB_OUTPUT file).
output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "$1=$2" >> "$GITHUB_OUTPUT"
  fi
}

# Writes `bgplan status` as Markdown to the artifacts and the summary; never fails the step.
status_summary() {
  if bgplan --format markdown status "$BGPLAN_FILE" > "$BGPLAN_ARTIFACTS/status.md"; then
    summary "$BGPLAN_ARTIFACTS/status.md"
  fi
}
