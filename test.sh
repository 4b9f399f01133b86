#!/usr/bin/env bash
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
# The whole check, as CI runs it (bash .ci/run): tools, style, build, every test. Meant for a fresh
# Debian 12 machine with the .NET SDK, run as root. Ends with one line "N passed, N failed".
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { printf '== %s\n' "$*"; }

# Tools the tests run, as "command:debian-package"; installed only when missing.
tools=(
  btrfs:btrfs-progs
  mkfs.btrfs:btrfs-progs
  lvcreate:lvm2
  dmsetup:dmsetup
  losetup:mount
  setsid:util-linux
  restic:restic
  psql:postgresql-client-15
  pg_dump:postgresql-client-15
  /usr/lib/postgresql/15/bin/initdb:postgresql-15
  getfattr:attr
  setfattr:attr
  python3:python3
  flock:util-linux
  openssl:openssl
  sshd:openssh-server
  ssh:openssh-client
  ceph-mon:ceph-mon
  ceph-osd:ceph-osd
  radosgw:radosgw
  ceph:ceph-common
  curl:curl
  uuidgen:uuid-runtime
  pg_dumpall:postgresql-client-15
  pg_restore:postgresql-client-15
  ssh-agent:openssh-client
  ssh-add:openssh-client
  clang:clang
  objcopy:binutils
)
missing=()
for tool in "${tools[@]}"; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
done
if ((${#missing[@]})); then
  step "installing ${missing[*]}"
  if ((EUID != 0)); then
    echo "test.sh: missing ${missing[*]}; run as root to install them" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
fi

restic_version="$(restic version)"
if [[ "$restic_version" != "restic 0.14."* ]]; then
  echo "test.sh: restic 0.14 required (the compatibility target), found: $restic_version" >&2
  exit 1
fi

step "dotnet format --verify-no-changes"
format_start=$SECONDS
if ! dotnet format Haven.slnx --verify-no-changes -v q; then
  echo "test.sh: style drift; run 'dotnet format Haven.slnx' and commit the result" >&2
  exit 1
fi
step "format took $((SECONDS - format_start)) s"

step "build"
# dotnet build always adds its summary, so keep its output and show it only on failure.
if ! build_log="$(dotnet build Haven.slnx -warnaserror -v q -nologo -tl:off -clp:ErrorsOnly 2>&1)"; then
  printf '%s\n' "$build_log"
  echo "test.sh: build failed" >&2
  exit 1
fi

step "haven (Native AOT, as ./haven builds it)"
# The CLI tests run the binary users run: ./haven's native build, not `dotnet haven.dll`
# (tests/Haven.Testing/HavenCli.cs; unset HAVEN_TEST_BINARY to test the dll).
aot_start=$SECONDS
if ! ./haven version >/dev/null; then
  echo "test.sh: ./haven failed to build" >&2
  exit 1
fi
export HAVEN_TEST_BINARY="$PWD/artifacts/haven/haven"
[[ -x "$HAVEN_TEST_BINARY" ]] || { echo "test.sh: ./haven built no native binary at $HAVEN_TEST_BINARY" >&2; exit 1; }
step "haven build took $((SECONDS - aot_start)) s"

step "test"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# A test project with no tests yet exits 8; that is fine as long as the run as a whole ran
# tests, which the summary check below enforces.
set +e
dotnet test --solution Haven.slnx --no-build --no-progress --no-ansi --ignore-exit-code 8 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

count() { sed -n "s/^ *$1: \([0-9][0-9]*\)\$/\1/p" "$log" | tail -n 1; }
total="$(count total)"
failed="$(count failed)"
passed="$(count succeeded)"
skipped="$(count skipped)"
if [[ -z "$total" || -z "$failed" || -z "$passed" ]]; then
  echo "test.sh: no test run summary (dotnet test exited $status)" >&2
  echo "0 passed, 0 failed"
  exit 1
fi
rc=0
if ((status != 0 || failed > 0)); then rc=1; fi
if ((total == 0)); then echo "test.sh: no test ran" >&2; rc=1; fi
if ((${skipped:-0} > 0)); then echo "test.sh: $skipped skipped: tests must not skip" >&2; rc=1; fi
echo "$passed passed, $failed failed"
exit "$rc"
