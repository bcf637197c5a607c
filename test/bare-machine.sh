#!/usr/bin/env bash
# Runs `npm test` (or the given command) as on a machine that has only Node.js: in namespaces of
# its own with an empty network (nothing listens on 5432 or 3306), no /run (no database or Docker
# sockets) and a /usr/bin without the PostgreSQL and MariaDB clients, Docker and Chromium.
# Needs root (unshare) and an `npm ci` already done. Usage: bash test/bare-machine.sh [command...]
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bare-machine.sh: run as root (it uses unshare and mount)" >&2; exit 2; }

bin="$(mktemp -d /tmp/tokobot-bare-bin.XXXXXX)"
trap 'rm -rf "$bin"' EXIT
# Hard links: a copy of /usr/bin in no time and no space, from which the programs are then removed.
cp -al /usr/bin/. "$bin/"
rm -f "$bin"/pg_* "$bin"/psql "$bin"/mysql* "$bin"/mariadb* "$bin"/docker* "$bin"/dockerd* "$bin"/containerd* "$bin"/chromium*
[ $# -gt 0 ] || set -- npm test

unshare --mount --net --fork -- bash -euc '
  bin="$1"; shift
  mount --make-rprivate /
  ip link set lo up
  mount -t tmpfs tmpfs /run
  mount -t tmpfs tmpfs /usr/lib/postgresql
  mount --bind "$bin" /usr/bin
  exec env -u TEST_PG_URL -u CI "$@"
' bare "$bin" "$@"
