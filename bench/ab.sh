#!/usr/bin/env bash
# A/B of a bench script against an earlier commit on the same machine, in alternating runs (timings here drift by up
# to 1.5x within a day, so A and B take turns and each round gives its own ratio).
# Builds REV in a temporary git worktree, then runs ROUNDS times: REV's bench/SCRIPT (or, when REV has none, this
# checkout's with CIM set to REV's cim), then this checkout's.
# Prints each run's figures and, per round, the ratio this/REV of every "NAME: … X s" line the script prints
# (for import.sh: cim's time and its CPU seconds; for codes.sh: the assign times), then the median ratio.
# Usage: bench/ab.sh REV SCRIPT [N] [ROUNDS]     e.g. bench/ab.sh 28f3e85 import.sh 1000000 2
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rev="$1"
script="$2"
rows="${3:-1000000}"
rounds="${4:-2}"
base="$(mktemp -d)/base"
cleanup() { git -C "$root" worktree remove --force "$base" >/dev/null 2>&1 || true; }
trap cleanup EXIT

git -C "$root" worktree add --detach "$base" "$rev" >/dev/null 2>&1
echo "building $rev in $base ..." >&2
(cd "$base" && mvn -B -q -o -Dstyle.color=never -DskipTests package >/dev/null) \
    || (cd "$base" && mvn -B -q -Dstyle.color=never -DskipTests package >/dev/null)
(cd "$root" && mvn -B -q -o -Dstyle.color=never -DskipTests package >/dev/null)

# the figures of one run: "name=seconds" for cim's import time and CPU, and the assign times
figures() {
    awk '
        /^cim import on PostgreSQL:/ { print "import_s=" $5 }
        /CPU: cim/ { gsub(",", ""); print "import_cpu_s=" $3 }
        /^cim import 100,000, embedded:/ { print "embedded_100k_s=" $5 }
        /^codes assign, +[0-9]+ records:/ { print "assign_" $3 "_s=" $5 }
        /^codes assign, 10,000 more:/ { print "assign_10k_s=" $5 }
        /^codes assign, JSON Lines with lists:/ { print "assign_lists_s=" $7 }
        /^cim import [0-9]+ re-delivered, embedded:/ { print "redeliver_s=" $6 }
        /^machine speed:/ { print "copy_s=" $9 }
        /^psql \\copy \(baseline\):/ { print "copy_s=" $4 }
    ' "$1"
}

work="$(mktemp -d)"
for round in $(seq 1 "$rounds"); do
    for side in base this; do
        dir="$root"
        [ "$side" = base ] && dir="$base"
        echo "== round $round: $side ($([ "$side" = base ] && echo "$rev" || git -C "$root" rev-parse --short HEAD)+work tree)" >&2
        if [ -x "$dir/bench/$script" ]; then
            "$dir/bench/$script" "$rows" >"$work/$side.$round.out"
        else
            # a bench newer than REV: this checkout's script, running REV's cim
            CIM="$dir/cim" "$root/bench/$script" "$rows" >"$work/$side.$round.out"
        fi
        cat "$work/$side.$round.out"
        figures "$work/$side.$round.out" >"$work/$side.$round.fig"
    done
    echo "round $round, this/$rev:"
    join -t= <(sort "$work/base.$round.fig") <(sort "$work/this.$round.fig") \
        | awk -F= '{ printf "  %-18s %8s s -> %8s s   %.3fx\n", $1, $2, $3, $3 / $2 }' | tee "$work/ratios.$round"
done
echo "median ratio over $rounds rounds (this/$rev):"
cat "$work"/ratios.* | awk '{ print $1, $NF }' | sed 's/x$//' | sort -k1,1 -k2,2n \
    | awk '{ v[$1] = v[$1] " " $2; n[$1]++ }
        END { for (k in v) { split(substr(v[k], 2), a, " "); m = n[k] % 2 ? a[(n[k] + 1) / 2] : (a[n[k] / 2] + a[n[k] / 2 + 1]) / 2;
              printf "  %-18s %.3fx\n", k, m } }' | sort
rm -rf "$work"
