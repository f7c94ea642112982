#!/usr/bin/env bash
# cim codes find on PostgreSQL with N customers (default 1,000,000; the issue's target: "well under a second").
# Generates N records (cim sample generate, seed 7), imports them into a fresh database and assigns codes, then
# looks up 20 mobiles and 20 ID numbers spread through the file (read from standard input, as users give them) and
# prints the median wall time of a lookup beside the median of `cim policy show` on the same database (start-up,
# connection, keyset and one small query: the baseline every command pays), the lookup's own share, and the
# database's execution time of the two index lookups a find makes (EXPLAIN ANALYZE): the golden records' blind index,
# and the matcher's blocking keys (every linked record's valid identifiers). A lookup that finds nothing is a value
# of a record refused a code (admission) or flagged invalid.
# Usage: bench/find.sh [N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rows="${1:-1000000}"
db="cim_bench_find_$$"
work="$(mktemp -d)"
cleanup() { psql -q -h 127.0.0.1 -U root -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export CIM_HOME="$work/home" XDG_CONFIG_HOME="$work"

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { printf "%.3f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

"$root/cim" -q sample generate "$rows" --out "$work/records.csv" --seed 7 >/dev/null
psql -q -h 127.0.0.1 -U root -d postgres -c "CREATE DATABASE $db" >/dev/null
cim=("$root/cim" -q --db "jdbc:postgresql://127.0.0.1:5432/$db?user=root" --keyset "$work/keyset.json")
"$root/cim" -q keys init --out "$work/keyset.json" >/dev/null
"${cim[@]}" db migrate >/dev/null
"$root/bench/channels.sh" "${cim[@]}"
"${cim[@]}" import "$work/records.csv" --source bench >/dev/null
"${cim[@]}" codes assign >/dev/null
customers=$(psql -At -h 127.0.0.1 -U root -d "$db" -c "SELECT count(*) FROM customer WHERE merged_into IS NULL")

# 20 values of each kind, spread through the file (columns 9 and 10: id_number, mobile)
step=$(( rows / 20 > 0 ? rows / 20 : 1 ))
awk -F, -v step="$step" 'NR > 1 && (NR - 2) % step == 0 && $10 != "" { print $10 }' "$work/records.csv" | head -20 \
    > "$work/mobiles"
awk -F, -v step="$step" 'NR > 1 && (NR - 2) % step == 0 && $9 != "" { print $9 }' "$work/records.csv" | head -20 \
    > "$work/ids"

found=0
lookup() {  # option, file of values: one find per value; prints each wall time in seconds
    while IFS= read -r value; do
        local s e
        s=$(now)
        if printf '%s\n' "$value" | "${cim[@]}" codes find "$1" - -o json >/dev/null; then found=$((found + 1)); fi
        e=$(now)
        awk -v n=$((e - s)) 'BEGIN { printf "%.3f\n", n / 1e9 }' >> "$work/times$1"
    done < "$2"
}
lookup --mobile "$work/mobiles"
lookup --id-number "$work/ids"
for _ in $(seq 1 10); do
    s=$(now); "${cim[@]}" policy show -o json >/dev/null; e=$(now)
    awk -v n=$((e - s)) 'BEGIN { printf "%.3f\n", n / 1e9 }' >> "$work/baseline"
done
mobile=$(median < "$work/times--mobile")
id=$(median < "$work/times--id-number")
base=$(median < "$work/baseline")

# what the database spends on the two lookups of a find, for a stored blind index
bidx=$(psql -At -h 127.0.0.1 -U root -d "$db" -c "SELECT mobile_bidx FROM customer WHERE mobile_bidx IS NOT NULL \
    ORDER BY code OFFSET $((customers / 2)) LIMIT 1")
plan() { psql -At -h 127.0.0.1 -U root -d "$db" -c "EXPLAIN (ANALYZE) $1" | awk '/Execution Time/ { print $3 }'; }
golden_ms=$(plan "SELECT code FROM customer WHERE mobile_bidx = '$bidx' AND merged_into IS NULL")
key=$(psql -At -h 127.0.0.1 -U root -d "$db" -c "SELECT match_key FROM match_key ORDER BY record_id \
    OFFSET $((customers / 2)) LIMIT 1")
records_ms=$(plan "SELECT DISTINCT customer_code FROM match_key WHERE match_key IN ($key, $((key + 1)))")

printf 'customers: %d (from %d records), %d cores; %d of 40 lookups found their customer\n' "$customers" "$rows" \
    "$(nproc)" "$found"
printf 'codes find --mobile:     median %s s per command\n' "$mobile"
printf 'codes find --id-number:  median %s s per command\n' "$id"
printf 'baseline, cim policy show on the same database: median %s s (start-up, connection, keyset, one query)\n' "$base"
awk -v m="$mobile" -v i="$id" -v b="$base" 'BEGIN { printf "lookup beyond the baseline: mobile %+.3f s, id %+.3f s; ratio to baseline %.2fx, %.2fx\n", m - b, i - b, m / b, i / b }'
printf 'database execution of a find'"'"'s lookups (EXPLAIN ANALYZE): golden records %s ms, blocking keys (every record'"'"'s identifiers) %s ms\n' \
    "$golden_ms" "$records_ms"
