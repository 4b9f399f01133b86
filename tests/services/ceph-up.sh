#!/bin/bash
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
# Starts a single-node Ceph cluster (mon + one bluestore OSD on a sparse file + radosgw, no mgr,
# no systemd) on 127.0.0.1 and creates the S3 user HAVENKEY/HAVENSECRET.
# Usage: ceph-up.sh DIR RGW_PORT MON_PORT. Daemons daemonize; their pid files are in DIR/run.
# Stop with ceph-down.sh DIR. See shared notes components.md §1c.
set -euo pipefail
D=$1
RGW_PORT=$2
MON_PORT=$3
rm -rf "$D"; mkdir -p "$D"/{mon,osd0,rgw,run,log}
FSID=$(uuidgen)
cat > "$D/ceph.conf" <<CONF
[global]
fsid = $FSID
mon host = v2:127.0.0.1:$MON_PORT
public addr = 127.0.0.1
ms bind ipv6 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
mon data avail warn = 1
mon data avail crit = 0
auth allow insecure global id reclaim = false
osd crush chooseleaf type = 0
run dir = $D/run
admin socket = $D/run/\$name.asok
log file = $D/log/\$name.log
pid file = $D/run/\$name.pid
keyring = $D/keyring
[mon]
mon data = $D/mon
[osd]
osd data = $D/osd0
keyring = $D/osd0/keyring
osd objectstore = bluestore
bluestore block create = true
bluestore block size = 4294967296
bluestore block db create = false
bluestore block wal create = false
bluestore fsck on mount = false
osd memory target = 1073741824
bluestore cache autotune = false
bluestore cache size = 268435456
osd max object name len = 256
osd max object namespace len = 64
[client.rgw.a]
keyring = $D/rgw/keyring
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw data = $D/rgw
CONF
C=(-c "$D/ceph.conf")
ceph-authtool --create-keyring "$D/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool "$D/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
monmaptool --create --addv a "[v2:127.0.0.1:$MON_PORT]" --fsid "$FSID" "$D/monmap" >/dev/null
ceph-mon "${C[@]}" --mkfs -i a --monmap "$D/monmap" --keyring "$D/keyring"
ceph-mon "${C[@]}" -i a
timeout 30 ceph "${C[@]}" -s >/dev/null
OSD_UUID=$(uuidgen)
ID=$(timeout 30 ceph "${C[@]}" osd new "$OSD_UUID")
ceph-authtool --create-keyring "$D/osd0/keyring" --gen-key -n "osd.$ID" >/dev/null
timeout 30 ceph "${C[@]}" auth add "osd.$ID" osd 'allow *' mon 'allow profile osd' -i "$D/osd0/keyring" 2>/dev/null
ceph-osd "${C[@]}" -i "$ID" --mkfs --osd-uuid "$OSD_UUID" >"$D/log/osd-mkfs.log" 2>&1
ceph-osd "${C[@]}" -i "$ID" </dev/null >/dev/null 2>&1
up=0
for _ in $(seq 1 60); do
  if timeout 10 ceph "${C[@]}" osd stat -f json 2>/dev/null | grep -q '"num_up_osds":1'; then up=1; break; fi
  sleep 1
done
((up)) || { echo "ceph-up.sh: the OSD did not come up; see $D/log" >&2; exit 1; }
timeout 30 ceph "${C[@]}" auth get-or-create client.rgw.a mon 'allow rw' osd 'allow rwx' -o "$D/rgw/keyring" 2>/dev/null
radosgw "${C[@]}" -n client.rgw.a </dev/null >/dev/null 2>&1
up=0
for _ in $(seq 1 120); do
  if curl -s -o /dev/null "http://127.0.0.1:$RGW_PORT/"; then up=1; break; fi
  sleep 0.5
done
((up)) || { echo "ceph-up.sh: radosgw did not answer on 127.0.0.1:$RGW_PORT; see $D/log" >&2; exit 1; }
timeout 60 radosgw-admin "${C[@]}" user create --uid=haven --display-name=haven --access-key=HAVENKEY --secret=HAVENSECRET >/dev/null
echo "ceph ready: radosgw on 127.0.0.1:$RGW_PORT"
