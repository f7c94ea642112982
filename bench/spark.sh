#!/usr/bin/env bash
# The Spark engine against the single machine, on PostgreSQL: for each size (default 100,000 and 1,000,000 records
# of `cim sample generate --seed 7`), the records are imported into two fresh databases; one is coded by `cim codes
# assign`, the other by `cim codes assign --engine spark --spark-master local[2]`, and then `cim quality check
# --scope source` runs on both engines; then `--rematch` re-scores the Spark-coded file whole (what a change of
# policy or comparators asks for: every record again, nothing new). Prints wall and CPU seconds of each, Spark's ratio to the single machine
# (the baseline, same machine, same run), the bytes Spark shuffled (from its event log), and a projection for a
# cluster from the measured per-record cost: CLUSTER_EXECUTORS (20) executors of CLUSTER_CORES (4) cores each,
# CLUSTER_RECORDS (5x10^8) records, CLUSTER_NET_MBS (125 MB/s, 1 Gbit/s) of network per executor.
# Needs the Spark engine built: mvn -B -Pspark -DskipTests package. Usage: bench/spark.sh [N ...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100000 1000000)
executors="${CLUSTER_EXECUTORS:-20}"
cores="${CLUSTER_CORES:-4}"
target="${CLUSTER_RECORDS:-500000000}"
net="${CLUSTER_NET_MBS:-125}"
work="$(mktemp -d)"
dbs=()
cleanup() {
    for db in "${dbs[@]}"; do
        psql -q -h 127.0.0.1 -U root -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
    done
    rm -rf "$work"
}
trap cleanup EXIT
export CIM_HOME="$work/home" XDG_CONFIG_HOME="$work"
[ -f "$root/spark/target/cim-spark.jar" ] || { echo "ERROR: build the Spark engine first: mvn -B -Pspark -DskipTests package" >&2; exit 78; }
"$root/cim" -q keys init --out "$work/keyset.json" >/dev/null

# runs a command; prints "wall user+sys" seconds (the JVM's children included)
timed() {
    /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >/dev/null
    awk 'END { printf "%.1f %.1f", $1, $2 + $3 }' "$work/time"
}

fresh() {
    local db="cim_bench_spark_${1}_$$"
    dbs+=("$db")
    psql -q -h 127.0.0.1 -U root -d postgres -c "CREATE DATABASE $db" >/dev/null
    cim=("$root/cim" -q --db "jdbc:postgresql://127.0.0.1:5432/$db?user=root" --keyset "$work/keyset.json")
    "${cim[@]}" db migrate >/dev/null
    "$root/bench/channels.sh" "${cim[@]}"
    "${cim[@]}" import "$records" >/dev/null
}

printf 'machine: %d cores; Spark in this process on local[2]; baseline: the single-machine engine, same run\n' "$(nproc)"
for n in "${sizes[@]}"; do
    records="$work/records-$n.csv"
    "$root/cim" -q sample generate "$n" --out "$records" --seed 7 >/dev/null

    fresh "single_$n"
    single_cim=("${cim[@]}")
    read -r single_wall single_cpu <<<"$(timed "${single_cim[@]}" codes assign)"
    read -r check_wall check_cpu <<<"$(timed "${single_cim[@]}" quality check --scope source || true)"

    fresh "spark_$n"
    rm -rf "$work/events" && mkdir -p "$work/events"
    read -r spark_wall spark_cpu <<<"$(JAVA_OPTS="-Dspark.eventLog.enabled=true -Dspark.eventLog.dir=file://$work/events -Dspark.eventLog.compress=false -Dspark.eventLog.rolling.enabled=false" \
        timed "${cim[@]}" codes assign --engine spark --spark-master 'local[2]')"
    shuffled=$(find "$work/events" -type f -exec cat {} + | grep -o '"Shuffle Bytes Written":[0-9]*' | awk -F: '{ s += $2 } END { print s + 0 }')
    read -r scheck_wall scheck_cpu <<<"$(timed "${cim[@]}" quality check --scope source --engine spark \
        --spark-master 'local[2]' || true)"
    read -r re_wall re_cpu <<<"$(timed "${cim[@]}" codes assign --engine spark --spark-master 'local[2]' --rematch)"

    printf '\n%d records\n' "$n"
    printf '  codes assign     single %7.1f s wall %7.1f s CPU | spark local[2] %7.1f s wall %7.1f s CPU | spark/single %.2fx wall %.2fx CPU\n' \
        "$single_wall" "$single_cpu" "$spark_wall" "$spark_cpu" \
        "$(awk -v a="$spark_wall" -v b="$single_wall" 'BEGIN { print a / b }')" \
        "$(awk -v a="$spark_cpu" -v b="$single_cpu" 'BEGIN { print a / b }')"
    printf '  quality check    single %7.1f s wall %7.1f s CPU | spark local[2] %7.1f s wall %7.1f s CPU | spark/single %.2fx wall\n' \
        "$check_wall" "$check_cpu" "$scheck_wall" "$scheck_cpu" \
        "$(awk -v a="$scheck_wall" -v b="$check_wall" 'BEGIN { print a / b }')"
    printf '  re-match         the coded file whole           | spark local[2] %7.1f s wall %7.1f s CPU | /its initial load %.2fx wall, /single %.2fx wall\n' \
        "$re_wall" "$re_cpu" "$(awk -v a="$re_wall" -v b="$spark_wall" 'BEGIN { print a / b }')" \
        "$(awk -v a="$re_wall" -v b="$single_wall" 'BEGIN { print a / b }')"
    printf '  spark shuffle    %.1f MB written, %.0f bytes per record\n' \
        "$(awk -v s="$shuffled" 'BEGIN { print s / 1e6 }')" "$(awk -v s="$shuffled" -v n="$n" 'BEGIN { print s / n }')"
    last_n=$n last_cpu=$spark_cpu last_shuffled=$shuffled
done

# the projection, from the largest run: CPU per record spread over the cluster's cores, and the shuffle over its
# network; the database's own work (reading the records, the one transaction that moves the staged rows) is not
# spread, and is given apart as the single-machine rate of this run's PostgreSQL
awk -v n="$last_n" -v cpu="$last_cpu" -v sh="$last_shuffled" -v e="$executors" -v c="$cores" -v t="$target" -v net="$net" 'BEGIN {
    per = cpu / n; bytes = sh / n
    compute = per * t / (e * c); network = bytes * t / (e * net * 1e6)
    printf "\nprojection for %d executors x %d cores, %.0e records (from %d records on local[2]):\n", e, c, t, n
    printf "  compute: %.2f ms CPU per record -> %.0f s (%.1f h) over %d cores\n", per * 1000, compute, compute / 3600, e * c
    printf "  shuffle: %.0f bytes per record -> %.1f GB, %.0f s over %d x %d MB/s\n", bytes, bytes * t / 1e9, network, e, net
    printf "  (Spark time is about the larger of the two; the database reads and the final move are on one server)\n"
}'
