#!/bin/bash
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
# Stops the radosgw, OSD and mon that ceph-up.sh DIR started (by the pid files in DIR/run) and
# removes DIR. Usage: ceph-down.sh DIR
D=$1
for n in client.rgw.a osd.0 mon.a; do
  f="$D/run/$n.pid"; [ -f "$f" ] || continue
  p=$(cat "$f"); kill "$p" 2>/dev/null || continue
  for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$p" 2>/dev/null && kill -9 "$p"
done
rm -rf "$D"
exit 0
