#!/usr/bin/env bash
# Builds the PostgreSQL image the Docker tests use, from this machine's own PostgreSQL 15
# (no image registry is reachable here): a root filesystem of the server binaries, their shared
# libraries and the entrypoint, imported with `docker import`. Skips when the image exists
# unless --force is given.
set -euo pipefail
IMAGE=${TOKOBOT_PG_IMAGE:-tokobot/postgres:15-local}
PGBIN=/usr/lib/postgresql/15/bin
HERE=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" != "--force" ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "build: $IMAGE already exists"
  exit 0
fi
[ -x "$PGBIN/postgres" ] || { echo "build: $PGBIN/postgres not found (install postgresql-15)" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

copy() { # copy a file keeping its path, following links
  mkdir -p "$root$(dirname "$1")"
  cp -L "$1" "$root$1"
}

bins="$PGBIN/postgres $PGBIN/initdb $PGBIN/pg_ctl $PGBIN/pg_restore $PGBIN/pg_dump $PGBIN/psql $PGBIN/pg_isready"
tools="/bin/sh /usr/bin/setpriv /bin/mkdir /bin/chown /bin/chmod /bin/rm /usr/bin/id /bin/cat"
for f in $bins $tools; do copy "$f"; done
mkdir -p "$root/usr/lib/postgresql/15/lib"
# Everything but the LLVM JIT (huge, and optional: without it the server simply does not JIT).
for f in /usr/lib/postgresql/15/lib/*.so; do
  case "$(basename "$f")" in llvmjit*) ;; *) copy "$f" ;; esac
done
mkdir -p "$root/usr/share/postgresql"
cp -a /usr/share/postgresql/15 "$root/usr/share/postgresql/15"
cp -a /usr/share/zoneinfo "$root/usr/share/zoneinfo"

for f in $bins $tools /usr/lib/postgresql/15/lib/*.so; do
  case "$(basename "$f")" in llvmjit*) continue ;; esac
  ldd "$f" 2>/dev/null | awk '/=>/ { print $3 } /^\s*\/lib/ { print $1 }' | while read -r lib; do
    if [ -n "$lib" ] && [ -e "$lib" ] && [ ! -e "$root$lib" ]; then copy "$lib"; fi
  done
done

mkdir -p "$root/etc" "$root/tmp" "$root/var/run/postgresql" "$root/var/lib/postgresql/data" "$root/usr/local/bin"
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\npostgres:x:999:999:PostgreSQL:/var/lib/postgresql:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\npostgres:x:999:\n' > "$root/etc/group"
install -m 0755 "$HERE/entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"

old=$(docker image inspect "$IMAGE" --format '{{.Id}}' 2>/dev/null || true)
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/bin:/usr/bin:/bin' \
  --change 'ENV PGDATA=/var/lib/postgresql/data' \
  --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
  --change 'CMD ["postgres"]' \
  --change 'EXPOSE 5432' \
  - "$IMAGE" >/dev/null
new=$(docker image inspect "$IMAGE" --format '{{.Id}}')
# A --force rebuild leaves the old image untagged; drop it unless a container still uses it.
if [ -n "$old" ] && [ "$old" != "$new" ]; then docker rmi "$old" >/dev/null 2>&1 || true; fi
echo "build: $IMAGE built ($(docker image inspect "$IMAGE" --format '{{.Size}}') bytes)"
