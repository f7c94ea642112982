#!/usr/bin/env bash
# Start-up of short runs through the ./cim launcher as users run it: `cim --version`, `cim --help` and `cim db status`
# (embedded database, migrated), each against its floor, a bare JVM start (`java -version`) timed in the same
# rounds. The runs take turns (floor, then each command, then the same of the baseline's), N rounds; each figure is
# the median of its N, in wall-clock milliseconds, with the median CPU milliseconds (user + system) beside it.
# Target: cim --version within 2.5x the floor.
# With BASELINE (another checkout's ./cim, e.g. main's), the same commands of it are timed in the same rounds and
# each figure gets its ratio to the baseline's.
# Usage: bench/startup.sh [N] [BASELINE]     (N default 15)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-15}"
baseline="${2:-}"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export CIM_HOME="$home/this" XDG_CONFIG_HOME="$home"

# builds, class-data archives and the databases: not measured
"$root/cim" --version >/dev/null
"$root/cim" -q db migrate >/dev/null
if [ -n "$baseline" ]; then
    "$baseline" --version >/dev/null
    CIM_HOME="$home/baseline" "$baseline" -q db migrate >/dev/null
fi

declare -A wall cpu
# one timed run: appends "wall cpu" in milliseconds to the lists of NAME
timed() {
    local name="$1" start end times
    shift
    start=$(date +%s%N)
    times=$( { TIMEFORMAT='%U %S'; time "$@" >/dev/null 2>&1; } 2>&1 ) || true
    end=$(date +%s%N)
    wall[$name]+="$(( (end - start) / 1000000 )) "
    cpu[$name]+="$(awk -v u="${times% *}" -v s="${times#* }" 'BEGIN { printf "%d", (u + s) * 1000 }') "
}
median() { printf '%s\n' $1 | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

commands=("--version" "--help" "db status")
for _ in $(seq 1 "$runs"); do
    timed floor java -version
    for c in "${commands[@]}"; do
        # shellcheck disable=SC2086 # the command's words
        timed "this $c" "$root/cim" $c
        if [ -n "$baseline" ]; then
            # shellcheck disable=SC2086
            CIM_HOME="$home/baseline" timed "baseline $c" "$baseline" $c
        fi
    done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
floor=$(median "${wall[floor]}")
printf 'runs: %d each, taking turns (medians; wall and CPU milliseconds)\n' "$runs"
printf '%-18s %5d ms  (CPU %4d ms)   the floor\n' "java -version" "$floor" "$(median "${cpu[floor]}")"
for c in "${commands[@]}"; do
    w=$(median "${wall[this $c]}")
    line=$(printf '%-18s %5d ms  (CPU %4d ms)   %5sx the floor' "cim $c" "$w" "$(median "${cpu[this $c]}")" \
        "$(ratio "$w" "$floor")")
    [ "$c" = "--version" ] && line+="   (target 2.5x)"
    if [ -n "$baseline" ]; then
        b=$(median "${wall[baseline $c]}")
        line+=$(printf '   baseline %5d ms (CPU %4d ms), %sx the floor; this/baseline %s' "$b" \
            "$(median "${cpu[baseline $c]}")" "$(ratio "$b" "$floor")" "$(ratio "$w" "$b")")
    fi
    printf '%s\n' "$line"
done
