#!/bin/sh
# The nightly chain of cim, for cron (cim-nightly.cron) or a systemd timer (cim-nightly.timer):
#   import each channel's file from the inbox, code the new records, check their quality, verify the audit trail
#   against the last anchor and anchor its head again.
# Each step is silent on success (-q) and exits non-zero on failure, which stops the chain there (set -e): cron
# mails what it printed, systemd marks the unit failed. With metrics.file set to node_exporter's textfile directory
# (cim.conf below), every step leaves cim_COMMAND.prom there, the failed one with its exit code.
#
# Settings (environment; defaults in brackets):
#   CIM          the cim launcher [cim on the PATH]
#   CIM_CONFIG   cim's config file [/etc/cim/cim.conf]
#   CIM_INBOX    where channels drop CHANNEL_*.csv files [/var/spool/cim/inbox]; loaded ones go to done/
#   CIM_STATE    where quality reports and the audit anchor are kept [/var/lib/cim]
set -eu
CIM=${CIM:-cim}
export CIM_CONFIG="${CIM_CONFIG:-/etc/cim/cim.conf}"
inbox=${CIM_INBOX:-/var/spool/cim/inbox}
state=${CIM_STATE:-/var/lib/cim}
mkdir -p "$inbox/done" "$state"

# 1. import: the channel is the file name's first part (agent_2026-12-07.csv goes to channel agent)
for file in "$inbox"/*.csv; do
    [ -e "$file" ] || continue
    channel=$(basename "$file" | cut -d_ -f1)
    $CIM -q import "$file" --source "$channel" --rejects "$state/rejects-$(basename "$file")"
    mv "$file" "$inbox/done/"
done

# 2. customer codes for the new records (a run already going makes this one exit 75)
$CIM -q codes assign

# 3. the quality of the day's records, as JUnit XML for the dashboards (exit 1 when a fail-level rule breaches)
$CIM -q quality check --scope source --since 1d --format junit --out "$state/quality-$(date +%F).xml"

# 4. the audit trail: intact, and still holding the last anchor; then anchor today's head (keep a copy where the
#    database's owner cannot reach it: here syslog)
if [ -e "$state/anchor.json" ]; then
    $CIM -q audit verify --anchor "$state/anchor.json"
    $CIM -q audit anchor --previous "$state/anchor.json" --out "$state/anchor.json"
else
    $CIM -q audit verify
    $CIM -q audit anchor --out "$state/anchor.json"
fi
if ! logger -t cim-anchor -f "$state/anchor.json" 2>/dev/null; then
    echo "cim-nightly: warning: syslog did not take the anchor: keep a copy of $state/anchor.json on another host" >&2
fi
