#!/usr/bin/env bash
# JMH: nanoseconds to protect one tier-1 value (seal + blind index) and to open it, and the ratio to the bare
# JDK primitives doing the same work. Usage: bench/protect-jmh.sh [extra JMH options]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$root" && mvn -B -q -Dstyle.color=never -Pbench -DskipTests package) >&2
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
java -jar "$root/bench/jmh/target/benchmarks.jar" -rf csv -rff "$out" "$@" ProtectBenchmark >&2
awk -F, 'NR > 1 { gsub(/"/, ""); split($1, n, "."); score[n[length(n)]] = $5; err[n[length(n)]] = $6 }
END {
    base = score["baselineJdkAesGcmAndHmac"]
    printf "%-28s %10.0f ns/value (± %.0f)\n", "seal + blind index", score["sealAndBlindIndex"], err["sealAndBlindIndex"]
    printf "%-28s %10.0f ns/value (± %.0f)\n", "open", score["open"], err["open"]
    printf "%-28s %10.0f ns/value (± %.0f)\n", "baseline: JDK AES-GCM + HMAC", base, err["baselineJdkAesGcmAndHmac"]
    printf "ratio seal + blind index / baseline: %.2fx\n", score["sealAndBlindIndex"] / base
}' "$out"
