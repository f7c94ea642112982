#!/usr/bin/env bash
# cim codes assign on PostgreSQL over JSON Lines records that carry lists (every insured record has its policy), so
# that customers known to several channels get their lists combined (GoldenLists). Generates N records (default
# 300,000), imports them into a fresh database and times `cim codes assign`; prints how many customers hold a
# combined list.
# CIM: the cim to run (default this checkout's; bench/ab.sh sets it to the base's when the base has no lists.sh).
# Usage: bench/lists.sh [N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cim_bin="${CIM:-$root/cim}"
rows="${1:-300000}"
db="cim_bench_lists_$$"
work="$(mktemp -d)"
cleanup() { psql -q -h 127.0.0.1 -U root -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export CIM_HOME="$work/home" XDG_CONFIG_HOME="$work"

seconds() { local s e; s=$(date +%s%N); "$@" >"$work/last.out"; e=$(date +%s%N); awk -v n=$((e - s)) 'BEGIN { printf "%.1f", n / 1e9 }'; }

"$cim_bin" -q sample generate "$rows" --out "$work/records.jsonl" --seed 7 >/dev/null
psql -q -h 127.0.0.1 -U root -d postgres -c "CREATE DATABASE $db" >/dev/null
cim=("$cim_bin" -q --db "jdbc:postgresql://127.0.0.1:5432/$db?user=root" --keyset "$work/keyset.json")
"$cim_bin" -q keys init --out "$work/keyset.json" >/dev/null
"${cim[@]}" db migrate >/dev/null
"$root/bench/channels.sh" "${cim[@]}"
"${cim[@]}" import "$work/records.jsonl" >/dev/null 2>&1 || [ $? -eq 1 ]

echo "records: $rows JSON Lines ($(grep -c '"policies"' "$work/records.jsonl") with a policy)"
echo "codes assign, JSON Lines with lists: $(seconds "${cim[@]}" codes assign -o json) s"
combined=$(psql -qtA -h 127.0.0.1 -U root -d "$db" -c \
    "SELECT count(*) FROM customer WHERE merged_into IS NULL AND provenance LIKE '%\"policies\":[[%'")
echo "customers with a combined list: $combined of $(psql -qtA -h 127.0.0.1 -U root -d "$db" -c \
    "SELECT count(*) FROM customer WHERE merged_into IS NULL")"
