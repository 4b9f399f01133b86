#!/usr/bin/env bash
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
# The first Haven-vs-restic comparison grew into bench/run.sh (restic and Borg, every phase of
# issue 6); this keeps the old name working: Haven and restic only, first backup, unchanged
# backup and restore.
#
#   bench/compare.sh [--rounds 3] [--size-mb 400] [--work /tmp/haven-bench] [--keep]
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
exec "$here/run.sh" --tools haven,restic --only first,unchanged,restore --size-mb 400 "$@"
