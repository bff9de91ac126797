#!/usr/bin/env bash
# Builds green next to production: init (creates the green schemas and clusters), the deploy
# command (BGPLAN_DEPLOY_CMD: your dbt run / psql, writing into green only), await (until green
# is hydrated). Production is not touched; every command can simply be run again.
. "$(dirname "$0")/common.sh"
: "${BGPLAN_DEPLOY_CMD:?set BGPLAN_DEPLOY_CMD to the command that builds green}"

bgplan init "$BGPLAN_FILE"
sh -c "$BGPLAN_DEPLOY_CMD"
bgplan await "$BGPLAN_FILE"
