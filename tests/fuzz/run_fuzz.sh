#!/usr/bin/env bash
# run_fuzz.sh FUZZER SEED_CORPUS WORK_DIR SECONDS: fuzzes for SECONDS starting from a scratch copy
# of the seed corpus (the committed corpus is never modified). Fails on any crash, leak, timeout
# or out-of-memory; prints libFuzzer's summary.
set -euo pipefail
fuzzer=$1 seeds=$2 work=$3 seconds=$4
rm -rf "$work" && mkdir -p "$work"
cp "$seeds"/* "$work"/
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$work/" "$work"
