#!/usr/bin/env bash
# Registers the channels the bench inputs name (those of `cim sample generate`, and `bench`), since an import into
# a channel that is not registered is refused. A cim from before channels (an A/B base) has no such command: nothing
# to do there. Usage: bench/channels.sh CIM [GLOBAL-OPTIONS…]
set -uo pipefail
for code in bench direct agent telesales web wechat bank broker car; do
    "$@" channels add "$code" --name "$code" --owner "bench" >/dev/null 2>&1 || true
done
