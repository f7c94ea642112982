#!/usr/bin/env bash
# cim import against psql \copy on PostgreSQL: generates N records (default 1,000,000) with `cim sample generate`,
# imports them into a fresh database with `cim import` (JAVA_OPTS=-Xmx256m), loads the same file with psql \copy
# into a table with a primary key, and prints both times and the ratio (target: cim within 3x), with the CPU
# seconds of cim and of the PostgreSQL server during the import.
# Also times a 100,000-record import on the embedded default. Usage: bench/import.sh [N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rows="${1:-1000000}"
db="cim_bench_import_$$"
work="$(mktemp -d)"
watcher=""
cleanup() {
    if [ -n "$watcher" ]; then kill "$watcher" 2>/dev/null || true; fi
    psql -q -h 127.0.0.1 -U root -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
export CIM_HOME="$work/home" XDG_CONFIG_HOME="$work" JAVA_OPTS="${JAVA_OPTS:--Xmx256m}"

seconds() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); awk -v n=$((e - s)) 'BEGIN { printf "%.1f", n / 1e9 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

"$root/cim" -q sample generate "$rows" --out "$work/records.csv" --seed 7 >/dev/null
"$root/cim" -q sample generate 100000 --out "$work/records-100k.csv" --seed 8 >/dev/null

psql -q -h 127.0.0.1 -U root -d postgres -c "CREATE DATABASE $db" >/dev/null
url="jdbc:postgresql://127.0.0.1:5432/$db?user=root"
"$root/cim" -q keys init --out "$work/keyset.json" >/dev/null
"$root/cim" -q --db "$url" --keyset "$work/keyset.json" db migrate >/dev/null
"$root/bench/channels.sh" "$root/cim" -q --db "$url" --keyset "$work/keyset.json"
# Where the time goes: the CPU seconds of cim's JVM (bash's time) and of the database's server processes (their
# /proc ticks, polled while the import runs). With both on this machine's cores, their sum over the cores bounds
# the import's time from below.
server_ticks() {
    while true; do
        for pid in $(pgrep -f "postgres: .* $db " || true); do
            echo "$pid $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null)"
        done
        sleep 0.2
    done
}
server_ticks >"$work/server.ticks" &
watcher=$!
TIMEFORMAT='%R %U %S'
{ time "$root/cim" -q --db "$url" --keyset "$work/keyset.json" import "$work/records.csv" --source bench \
    >/dev/null; } 2>"$work/cim.time"
kill "$watcher"
watcher=""
cim_time=$(awk 'END { printf "%.1f", $1 }' "$work/cim.time")
cim_cpu=$(awk 'END { printf "%.1f", $2 + $3 }' "$work/cim.time")
server_cpu=$(awk -v hz="$(getconf CLK_TCK)" '$2 > most[$1] { most[$1] = $2 }
    END { for (p in most) sum += most[p]; printf "%.1f", sum / hz }' "$work/server.ticks")
loaded=$(psql -tA -h 127.0.0.1 -U root -d "$db" -c "SELECT count(*) FROM source_record")

copy_time=$("$root/bench/copy-baseline.sh" "$db" "$work/records.csv")

"$root/bench/channels.sh" "$root/cim" -q
embedded_time=$(seconds "$root/cim" -q import "$work/records-100k.csv" --source bench)

printf 'records: %d, %d cores, JAVA_OPTS=%s\n' "$rows" "$(nproc)" "$JAVA_OPTS"
printf 'psql \\copy (baseline):        %7s s\n' "$copy_time"
printf 'cim import on PostgreSQL:      %7s s   %sx the baseline (target 3x)   %d source records\n' \
    "$cim_time" "$(ratio "$cim_time" "$copy_time")" "$loaded"
printf '  CPU: cim %s s, PostgreSQL %s s; over %d cores at least %s s\n' "$cim_cpu" "$server_cpu" "$(nproc)" \
    "$(awk -v a="$cim_cpu" -v b="$server_cpu" -v n="$(nproc)" 'BEGIN { printf "%.1f", (a + b) / n }')"
printf 'cim import 100,000, embedded:  %7s s\n' "$embedded_time"
