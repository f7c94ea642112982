#!/bin/sh
# The nightly chain of cim, for cron (cim-nightly.cron) or a systemd timer (cim-nightly.service and .timer; install
# one of the two, not both):
#   1. import each channel's file from the inbox,   2. code the new records,   3. check their quality,
#   4. verify the audit trail against the last anchor, and anchor its head again.
# Each cim step is silent on success (-q). A step that fails is reported on stderr (cron mails it, systemd logs it)
# and the chain goes on with the others (a bad file does not stop the codes, the audit checks always run); it ends
# with the exit code of the first step that failed, 0 when none did. With metrics.file set to node_exporter's
# textfile directory (cim.conf here), every step leaves cim_COMMAND.prom there, a failed one with its exit code
# (cim_import.prom holds the last file's import).
#
# Settings (environment; defaults in brackets):
#   CIM                 the cim launcher [cim on the PATH]
#   CIM_CONFIG          cim's config file [/etc/cim/cim.conf]
#   CIM_INBOX           where channels drop CHANNEL_ANYTHING.csv files [/var/spool/cim/inbox]; loaded ones go to
#                       done/, refused ones to failed/
#   CIM_INBOX_SETTLE    minutes a file must have been left alone before it is loaded (one still being uploaded is
#                       left for the next night) [5]
#   CIM_STATE           where quality reports and the audit anchor are kept [/var/lib/cim]
#   CIM_FIRST_ANCHOR=1  the first night: there is no anchor yet to verify against (without it, a missing anchor is
#                       a failure: it may have been removed to hide a rewritten trail)
set -u
umask 077
CIM=${CIM:-cim}
export CIM_CONFIG="${CIM_CONFIG:-/etc/cim/cim.conf}"
inbox=${CIM_INBOX:-/var/spool/cim/inbox}
settle=${CIM_INBOX_SETTLE:-5}
state=${CIM_STATE:-/var/lib/cim}
mkdir -p "$inbox/done" "$inbox/failed" "$state" || exit 73
status=0

# runs a step; a failure is said and remembered (the first one's exit code is the chain's)
step() {
    "$@"
    code=$?
    if [ "$code" -ne 0 ]; then
        echo "cim-nightly: exit $code: $*" >&2
        [ "$status" -ne 0 ] || status=$code
    fi
    return "$code"
}

# 1. import: the channel is the file name up to its first '_' (agent_2026-12-07.csv goes to channel agent)
if [ "$settle" -gt 0 ]; then
    files=$(find "$inbox" -maxdepth 1 -type f -name '*.csv' -mmin +"$settle" | sort)
else
    files=$(find "$inbox" -maxdepth 1 -type f -name '*.csv' | sort)
fi
# one file name a line: the names of the inbox's files are not split on spaces
printf '%s\n' "$files" | while IFS= read -r file; do
    [ -n "$file" ] || continue
    name=$(basename "$file")
    channel=${name%%_*}
    if [ "$channel" = "$name" ] || ! printf '%s' "$channel" | grep -Eq '^[a-z0-9][a-z0-9_-]{0,39}$'; then
        echo "cim-nightly: $name does not start with a channel code and '_' (agent_2026-12-07.csv): moved to failed/" >&2
        mv -- "$file" "$inbox/failed/"
        echo 65 > "$state/.nightly-import-failed"
        continue
    fi
    if step $CIM -q import "$file" --source "$channel" --rejects "$state/rejects-$name"; then
        mv -- "$file" "$inbox/done/"
    else
        echo $? > "$state/.nightly-import-failed"
        mv -- "$file" "$inbox/failed/"
    fi
done
# (the loop ran in a subshell: its failure comes back through a file)
if [ -f "$state/.nightly-import-failed" ]; then
    [ "$status" -ne 0 ] || status=$(cat "$state/.nightly-import-failed")
    rm -f "$state/.nightly-import-failed"
fi

# 2. customer codes for the new records (a run already going makes this one exit 75)
step $CIM -q codes assign

# 3. the quality of the day's records, as JUnit XML for the dashboards (exit 1 when a fail-level rule breaches)
step $CIM -q quality check --scope source --since 1d --format junit --out "$state/quality-$(date +%F).xml"

# 4. the audit trail: intact, and still holding the last anchor; then today's head is anchored (a copy goes where
#    the database's owner cannot reach it: here syslog)
if [ -e "$state/anchor.json" ]; then
    step $CIM -q audit verify --anchor "$state/anchor.json" \
        && step $CIM -q audit anchor --previous "$state/anchor.json" --out "$state/anchor.json"
elif [ "${CIM_FIRST_ANCHOR:-}" = 1 ]; then
    step $CIM -q audit verify && step $CIM -q audit anchor --out "$state/anchor.json"
else
    echo "cim-nightly: no anchor at $state/anchor.json to verify the audit trail against (CIM_FIRST_ANCHOR=1 on the first night)" >&2
    [ "$status" -ne 0 ] || status=1
fi
if [ -e "$state/anchor.json" ] && ! logger -t cim-anchor -f "$state/anchor.json" 2>/dev/null; then
    echo "cim-nightly: warning: syslog did not take the anchor: keep a copy of $state/anchor.json on another host" >&2
fi
exit "$status"
