#!/usr/bin/env bash
# Time to reclassify one field over N stored values on PostgreSQL (default 1,000,000), both ways:
# into tier 1 (every value encrypted) and back out (every value decrypted). Target: under 60 s each.
# Needs PostgreSQL on 127.0.0.1:5432 (role root, trust auth) and psql. Usage: bench/reclassify.sh [N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rows="${1:-1000000}"
target=60
db="cim_bench_$$"
work="$(mktemp -d)"
cleanup() { psql -q -h 127.0.0.1 -U root -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null; rm -rf "$work"; }
trap cleanup EXIT

psql -q -h 127.0.0.1 -U root -d postgres -c "CREATE DATABASE $db" >/dev/null
export CIM_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db?user=root" CIM_HOME="$work" XDG_CONFIG_HOME="$work"
export CIM_KEYSET="$work/keyset.json" JAVA_OPTS="${JAVA_OPTS:--Xmx512m}"
"$root/cim" -q keys init --out "$CIM_KEYSET" >/dev/null
"$root/cim" -q db migrate >/dev/null

echo "loading $rows source records with a postal code (tier 2, clear) ..."
psql -q -h 127.0.0.1 -U root -d "$db" <<SQL
INSERT INTO import_batch (source_system, file_name, file_sha256, format, encoding, state, actor)
VALUES ('bench', 'bench.csv', repeat('0', 64), 'csv', 'UTF-8', 'committed', 'bench');
INSERT INTO source_record (source_system, source_key, batch_id, customer_type, name, postal_code)
SELECT 'bench', 'k' || g, 1, 'PERSON', '测试' || g, lpad((100000 + g % 800000)::text, 6, '0')
FROM generate_series(1, $rows) AS g;
ANALYZE source_record;
SQL

seconds() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); awk -v n=$((e - s)) 'BEGIN { printf "%.1f", n / 1e9 }'; }
up=$(seconds "$root/cim" -q tiers set postal_code --tier 1 --reason "benchmark: into tier 1")
sealed=$(psql -tA -h 127.0.0.1 -U root -d "$db" -c "SELECT count(*) FROM source_record WHERE postal_code LIKE 'cim1:%'")
down=$(seconds "$root/cim" -q tiers set postal_code --tier 2 --reason "benchmark: back to tier 2")
clear=$(psql -tA -h 127.0.0.1 -U root -d "$db" -c "SELECT count(*) FROM source_record WHERE postal_code NOT LIKE 'cim1:%'")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf 'values: %d on PostgreSQL, %d cores, JAVA_OPTS=%s\n' "$rows" "$(nproc)" "$JAVA_OPTS"
printf 'into tier 1 (encrypt):   %6s s   %sx target %d s   (%d values sealed)\n' "$up" "$(ratio "$up" "$target")" "$target" "$sealed"
printf 'out of tier 1 (decrypt): %6s s   %sx target %d s   (%d values clear)\n' "$down" "$(ratio "$down" "$target")" "$target" "$clear"
