#!/usr/bin/env bash
# Start-up time of `cim --version` and `cim db status` (embedded), through the ./cim launcher as users run it.
# Prints the median of N runs, the ratio to the target, and the ratio to a bare JVM start (`java -version`).
# Usage: bench/startup.sh [N]   (default 9)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-9}"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export CIM_HOME="$home" XDG_CONFIG_HOME="$home"

"$root/cim" --version >/dev/null            # build and class-data archive, if needed: not measured
"$root/cim" -q db migrate >/dev/null        # the status run measures a migrated database

median() {
    local times=()
    for _ in $(seq 1 "$runs"); do
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

jvm=$(median java -version)
version=$(median "$root/cim" --version)
status=$(median "$root/cim" db status)
target=500
printf 'runs: %d (median, milliseconds)\n' "$runs"
printf '%-22s %6d ms\n' "java -version" "$jvm"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '%-22s %6d ms   %sx target %d ms   %sx bare JVM\n' "cim --version" "$version" \
    "$(ratio "$version" "$target")" "$target" "$(ratio "$version" "$jvm")"
printf '%-22s %6d ms   %sx bare JVM\n' "cim db status" "$status" "$(ratio "$status" "$jvm")"
