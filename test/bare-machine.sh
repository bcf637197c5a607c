#!/usr/bin/env bash
# Runs `npm test` (or the given command) as on a machine that has only Node.js: in namespaces of
# its own with an empty network (nothing listens on 5432 or 3306), no /run (no database or Docker
# sockets) and a /usr/bin without the PostgreSQL and MariaDB clients, Docker and Chromium.
# Needs root (unshare) and an `npm ci` already done. Usage: bash test/bare-machine.sh [command...]
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bare-machine.sh: run as root (it uses unshare and mount)" >&2; exit 2; }

work="$(mktemp -d /tmp/tokobot-bare.XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/upper" "$work/work"
[ $# -gt 0 ] || set -- npm test

# /usr/bin gets an overlay whose deletions stay in this mount namespace (no copy; works nested too).
unshare --mount --net --fork -- bash -euc '
  work="$1"; shift
  mount --make-rprivate /
  ip link set lo up
  mount -t tmpfs tmpfs /run
  mount -t tmpfs tmpfs /usr/lib/postgresql
  mount -t overlay overlay -o "lowerdir=/usr/bin,upperdir=$work/upper,workdir=$work/work" /usr/bin
  rm -f /usr/bin/pg_* /usr/bin/psql /usr/bin/mysql* /usr/bin/mariadb* /usr/bin/docker* /usr/bin/containerd* /usr/bin/chromium*
  exec env -u TEST_PG_URL -u CI "$@"
' bare "$work" "$@"
