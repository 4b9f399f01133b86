#!/usr/bin/env bash
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
# Measures the RPO achieved by WAL archiving through 'haven pg wal-push' under a steady pgbench
# load: every second a sampler records (server clock, current WAL position); afterwards each
# sample is matched with the time the segment holding that position became durable in the
# repository (the archived-at time wal-push stores as the file's ctime). That lag is what a
# failure at the sample's instant would lose. Also prints the wal-push latency per segment.
# Run as root on a machine with postgresql-15 and pgbench (Debian: postgresql-15, postgresql-contrib).
set -euo pipefail
DURATION=${DURATION:-180}            # seconds of pgbench load
ARCHIVE_TIMEOUT=${ARCHIVE_TIMEOUT:-10}
RATE=${RATE:-200}                    # pgbench transactions per second
root=$(cd "$(dirname "$0")/.." && pwd)
# HAVEN_BIN: how to run haven (default: ./haven's Release build, the native binary, built first).
if [[ -z "${HAVEN_BIN:-}" ]]; then
  "$root/haven" version >/dev/null
  HAVEN_BIN="$root/artifacts/haven/haven"
  [[ -f "$root/artifacts/haven/haven.dll" ]] && HAVEN_BIN="dotnet $root/artifacts/haven/haven.dll"
fi
bin=/usr/lib/postgresql/15/bin
work=$(mktemp -d /tmp/haven-rpo.XXXXXX)
chmod 755 "$work"; chown postgres: "$work"
port=$((20000 + RANDOM % 20000))
as_pg() { runuser -u postgres -- env HOME="$work" "$@"; }
haven() { as_pg $HAVEN_BIN -r "$work/repo" -p "$work/password" "$@"; }
sql() { as_pg "$bin/psql" -X -q -A -t -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "$1"; }
cleanup() { as_pg "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true; kill "${sampler:-0}" 2>/dev/null || true; }
trap cleanup EXIT

as_pg sh -c "head -c 24 /dev/urandom | base64 > '$work/password'; chmod 600 '$work/password'"
haven init >/dev/null
as_pg "$bin/initdb" -D "$work/data" -U postgres --auth=trust >/dev/null
cat >> "$work/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$work'
archive_mode = on
archive_timeout = $ARCHIVE_TIMEOUT
archive_command = '$HAVEN_BIN -r $work/repo -p $work/password pg wal-push %p'
CONF
as_pg "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w start >/dev/null
as_pg "$bin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -i -s 10 -q postgres 2>/dev/null
haven pg basebackup --postgres "postgresql://postgres@127.0.0.1:$port/postgres" -q

(while true; do sql "SELECT extract(epoch FROM clock_timestamp()), pg_current_wal_lsn()" >> "$work/samples"; sleep 1; done) &
sampler=$!
as_pg "$bin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -c 4 -j 2 -R "$RATE" -T "$DURATION" -n postgres > "$work/pgbench.out" 2>&1
kill "$sampler"; wait "$sampler" 2>/dev/null || true
last=$(sql "SELECT pg_walfile_name(pg_switch_wal())")
until [ "$(sql "SELECT last_archived_wal >= '$last' FROM pg_stat_archiver")" = t ]; do sleep 0.5; done

haven ls latest --tag pg-wal --json > "$work/ls.json"
haven pg status
grep -E "tps = |latency average" "$work/pgbench.out" || true
python3 - "$work" <<'PY'
import json, sys, re, statistics
from datetime import datetime
work = sys.argv[1]
def ts(text):
    text = re.sub(r"(\.\d{6})\d*", r"\1", text).replace("Z", "+00:00")
    return datetime.fromisoformat(text).timestamp()
archived = {}
for line in open(f"{work}/ls.json"):
    node = json.loads(line)
    if node.get("struct_type") == "node" and node.get("type") == "file" and len(node["name"]) == 24:
        archived[node["name"]] = ts(node["ctime"])
lags = []
for line in open(f"{work}/samples"):
    when, lsn = line.strip().split("|")
    high, low = (int(x, 16) for x in lsn.split("/"))
    number = ((high << 32) | low) // (16 << 20)
    name = "00000001%08X%08X" % (number // 256, number % 256)
    if name in archived:
        lags.append(archived[name] - float(when))
lags.sort()
print(f"samples {len(lags)}; lag from commit to durable in the repository (RPO): "
      f"median {statistics.median(lags):.1f} s, p95 {lags[int(0.95 * (len(lags) - 1))]:.1f} s, max {lags[-1]:.1f} s")
pushes = [float(m.group(1)) for m in re.finditer(r"archived \(.*?\) in ([0-9.]+) s", open(f"{work}/server.log").read())]
if pushes:
    pushes.sort()
    print(f"wal-push: {len(pushes)} segments, latency median {statistics.median(pushes):.2f} s, p95 {pushes[int(0.95 * (len(pushes) - 1))]:.2f} s, max {pushes[-1]:.2f} s (inside the process; add ~0.3 s start-up)")
PY
echo "work folder: $work"
