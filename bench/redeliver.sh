#!/usr/bin/env bash
# Re-delivered records on the embedded database: imports N records (default 30,000) into a fresh embedded home, then
# N more from another sample whose keys are the same ones (each becomes a record's next version, through the staged
# path and its merge), and prints the seconds of the second import. A/B: run it from two checkouts in turn.
# Usage: bench/redeliver.sh [N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rows="${1:-30000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CIM_HOME="$work/home" XDG_CONFIG_HOME="$work" JAVA_OPTS="${JAVA_OPTS:--Xmx256m}"
seconds() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); awk -v n=$((e - s)) 'BEGIN { printf "%.1f", n / 1e9 }'; }
"$root/cim" -q sample generate "$rows" --out "$work/first.csv" --seed 1 >/dev/null
"$root/cim" -q sample generate "$rows" --out "$work/again.csv" --seed 2 >/dev/null
"$root/cim" -q db migrate >/dev/null
"$root/bench/channels.sh" "$root/cim" -q
"$root/cim" -q import "$work/first.csv" --source bench >/dev/null
printf 'cim import %s re-delivered, embedded: %7s s\n' "$rows" "$(seconds "$root/cim" -q import "$work/again.csv" --source bench)"
