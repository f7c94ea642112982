#!/usr/bin/env bash
# cim quality check on PostgreSQL: generates N records (default 1,000,000) with planted defects
# (`cim sample generate --defects`), imports them into a fresh database, runs `cim quality check --scope source
# --failures F` and compares the failures with the defects file (bench/defects.awk): every planted defect must be
# found by the rule for its kind, and no validity or consistency rule may fail on a clean record. Prints the time
# and its ratio to the 20 s target. Usage: bench/quality.sh [N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rows="${1:-1000000}"
db="cim_bench_quality_$$"
work="$(mktemp -d)"
cleanup() { psql -q -h 127.0.0.1 -U root -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export CIM_HOME="$work/home" XDG_CONFIG_HOME="$work"

"$root/cim" -q sample generate "$rows" --out "$work/records.csv" --defects "$work/defects.csv" --seed 7 >/dev/null
psql -q -h 127.0.0.1 -U root -d postgres -c "CREATE DATABASE $db" >/dev/null
cim=("$root/cim" -q --db "jdbc:postgresql://127.0.0.1:5432/$db?user=root" --keyset "$work/keyset.json")
"$root/cim" -q keys init --out "$work/keyset.json" >/dev/null
"${cim[@]}" db migrate >/dev/null
"$root/bench/channels.sh" "${cim[@]}"
"${cim[@]}" import "$work/records.csv" --source bench >/dev/null

start=$(date +%s%N)
set +e
"${cim[@]}" quality check --scope source --failures "$work/failures.csv" -o json > "$work/report.json"
status=$?
set -e
end=$(date +%s%N)
check_time=$(awk -v n=$((end - start)) 'BEGIN { printf "%.1f", n / 1e9 }')

printf 'records: %d, %d cores\n' "$rows" "$(nproc)"
printf 'quality check --scope source:  %7s s   %sx the 20 s target   exit %d (0: no fail-level rule breached, 1: one was)\n' \
    "$check_time" "$(awk -v a="$check_time" 'BEGIN { printf "%.2f", a / 20 }')" "$status"
grep -o '"score":[0-9.]*' "$work/report.json" | head -1
awk -f "$root/bench/defects.awk" "$work/defects.csv" "$work/failures.csv"
