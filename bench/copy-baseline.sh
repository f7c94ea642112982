#!/usr/bin/env bash
# The baseline of bench/import.sh, also bench/codes.sh's gauge of the machine's speed: psql \copy of a generated
# records file into a new table with a primary key in database DB. Prints the seconds it took.
# Usage: bench/copy-baseline.sh DB FILE
set -euo pipefail
db="$1"
file="$2"
columns="source_system,source_key,customer_type,status,name,gender,birth_date,id_type,id_number,mobile,phone,email,address,postal_code,contact_person,uscc,org_code"
psql -q -h 127.0.0.1 -U root -d "$db" -c "CREATE TABLE copy_baseline (source_system text, source_key text PRIMARY KEY,
  customer_type text, status text, name text, gender text, birth_date text, id_type text, id_number text, mobile text,
  phone text, email text, address text, postal_code text, contact_person text, uscc text, org_code text)"
s=$(date +%s%N)
psql -q -h 127.0.0.1 -U root -d "$db" -c "\\copy copy_baseline ($columns) FROM '$file' WITH (FORMAT csv, HEADER true)"
e=$(date +%s%N)
awk -v n=$((e - s)) 'BEGIN { printf "%.1f", n / 1e9 }'
