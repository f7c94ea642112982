#!/usr/bin/env bash
# cim quality check on PostgreSQL: generates N records (default 1,000,000) with planted defects
# (`cim sample generate --defects`), imports them into a fresh database, runs `cim quality check --scope source
# --failures F` and compares the failures with the defects file (bench/defects.awk): every planted defect must be
# found by the rule for its kind, and no validity or consistency rule may fail on a clean record. Prints the time
# (wall and CPU seconds of cim) and its ratio to the 10 s target, and its floor in the same run: PostgreSQL's
# sequential scan of the same records, `SELECT count(*)` over source_record (after VACUUM and a warm-up scan, so that
# both find the table settled and in memory), and beside it the same scan reading every column (the sum of the rows'
# lengths as text).
# Usage: bench/quality.sh [N]
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

# the table settled first, as a nightly check finds it: the import's 1,000,000 rows otherwise set off autovacuum
# while the check runs (one of the two cores), and the first scan writes every page's hint bits
psql -q -h 127.0.0.1 -U root -d "$db" -c "VACUUM (ANALYZE) source_record" >/dev/null
# the floor: a sequential scan of the records; and one that reads every column of every record
scan_seconds() {
    local start end
    start=$(date +%s%N)
    psql -q -h 127.0.0.1 -U root -d "$db" -c "$1" >/dev/null
    end=$(date +%s%N)
    awk -v n=$((end - start)) 'BEGIN { printf "%.2f", n / 1e9 }'
}
scan_seconds "SELECT count(*) FROM source_record" >/dev/null
scan_time=$(scan_seconds "SELECT count(*) FROM source_record")
read_time=$(scan_seconds "SELECT count(*), sum(length(source_record::text)) FROM source_record")

start=$(date +%s%N)
set +e
{ TIMEFORMAT='%U %S'; time "${cim[@]}" quality check --scope source --failures "$work/failures.csv" -o json \
    > "$work/report.json"; } 2> "$work/check.time"
status=$?
set -e
end=$(date +%s%N)
check_time=$(awk -v n=$((end - start)) 'BEGIN { printf "%.1f", n / 1e9 }')
check_cpu=$(awk 'END { printf "%.1f", $1 + $2 }' "$work/check.time")

printf 'records: %d, %d cores\n' "$rows" "$(nproc)"
printf 'floor: PostgreSQL count(*) of source_record:  %5s s   (reading every column: %s s)\n' "$scan_time" "$read_time"
printf 'quality check --scope source:  %7s s (CPU %s s)   %sx the 10 s target   %sx the floor   exit %d (0: no fail-level rule breached, 1: one was)\n' \
    "$check_time" "$check_cpu" "$(awk -v a="$check_time" 'BEGIN { printf "%.2f", a / 10 }')" \
    "$(awk -v a="$check_time" -v b="$scan_time" 'BEGIN { printf "%.1f", a / b }')" "$status"
grep -o '"score":[0-9.]*' "$work/report.json" | head -1
awk -f "$root/bench/defects.awk" "$work/defects.csv" "$work/failures.csv"
