#!/usr/bin/env bash
# Builds docker/Dockerfile for real where no image registry is reachable, then checks the image:
#   1. node:20-bookworm-slim, when absent, is made locally as a stand-in for the official image:
#      debootstrap (minbase, bookworm) + this machine's Node 20 where the official image has it,
#      imported with `docker import` and labelled tokobot.stand-in (unlike the official image it
#      sets NODE_EXTRA_CA_CERTS to the CAs this machine trusts beyond Debian's, if any: a
#      TLS-intercepting proxy must not stop npm ci; `docker rmi node:20-bookworm-slim` redoes it);
#   2. tokobot:local is built with PG_MAJOR=15 (Debian's own postgresql-client-15; build log in
#      /tmp/tokobot-image-check-build.log);
#   3. the image runs as uid 10001 with pg_restore 15 and chromium, prints its help, syncs the demo
#      store (demo/toko-contoh) into the host's PostgreSQL and answers `ask`, passes `doctor`, and
#      `start` (against a fake Telegram on the host) answers /healthz, turns healthy and stops
#      cleanly on docker stop; all with host networking, and like compose.yaml without capabilities;
#   4. with --docker-target also RESTORE_TARGET=docker (compose.docker-target.yaml): sync and ask
#      through the host's Docker socket, into a container of tokobot/postgres:15-local
#      (docker/postgres-image/build.sh makes it) on host networking (this dockerd has no bridge).
# Needs root, a running Docker Engine (bash docker/dockerd-up.sh), the Debian mirror
# (deb.debian.org) and the npm registry for the build, PostgreSQL 15 on 127.0.0.1:5432 trusting
# user postgres (and psql), node_modules installed in the repository (the fake Telegram runs from
# it) and a free port 18089 (IMAGE_CHECK_HTTP_PORT).
# Cleans up its containers, volumes and host databases; keeps the images, so a second run is
# faster. A manual check, not part of npm test:
#   bash docker/image-check.sh [--no-cache] [--docker-target]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE=node:20-bookworm-slim
IMAGE=${TOKOBOT_IMAGE:-tokobot:local}
PG_MAJOR=15
PG_URL=${IMAGE_CHECK_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
STORE=imgcheck
HTTP_PORT=${IMAGE_CHECK_HTTP_PORT:-18089}
NAME=tokobot-imgcheck-$$
VOLUME=$NAME-data
PG_CONTAINER=$NAME-pg
PG_VOLUME=$NAME-pgdata
PG_DOCKER_PORT=${IMAGE_CHECK_PG_DOCKER_PORT:-55497}
NO_CACHE=()
DOCKER_TARGET=
for arg in "$@"; do
  case "$arg" in
    --no-cache) NO_CACHE=(--no-cache) ;;
    --docker-target) DOCKER_TARGET=1 ;;
    *) echo "usage: bash docker/image-check.sh [--no-cache] [--docker-target]" >&2; exit 2 ;;
  esac
done

BUILD_LOG=/tmp/tokobot-image-check-build.log
TMP=$(mktemp -d /tmp/tokobot-image-check.XXXXXX)
TG_PID=
FAILED=0

say() { echo "image-check: $*" >&2; }
ok() { echo "ok   $1"; }
fail() { echo "FAIL $1${2:+: $2}"; FAILED=1; }
psql_host() { psql "$PG_URL" -X -v ON_ERROR_STOP=1 -Atq "$@"; }

drop_databases() { # only the ones this check makes: ipos_imgcheck*, tokobot_imgcheck*
  local db
  for db in $(psql_host -c "SELECT datname FROM pg_database WHERE datname ~ '^(ipos|tokobot)_${STORE}'"); do
    psql_host -c "DROP DATABASE \"$db\" WITH (FORCE)"
  done
}

cleanup() {
  set +e
  docker rm -f "$NAME-sync" "$NAME-start" "$PG_CONTAINER" >/dev/null 2>&1
  docker volume rm "$VOLUME" "$PG_VOLUME" >/dev/null 2>&1
  [ -n "$TG_PID" ] && kill "$TG_PID" 2>/dev/null && wait "$TG_PID" 2>/dev/null
  drop_databases
  rm -rf "$TMP"
}
trap cleanup EXIT

# ------------------------------------------------------------------ 1. the base image stand-in
build_base() {
  if docker image inspect "$BASE" >/dev/null 2>&1; then
    say "$BASE exists ($(docker image inspect "$BASE" --format '{{index .Config.Labels "tokobot.stand-in"}}' 2>/dev/null || true))"
    return
  fi
  command -v debootstrap >/dev/null || { apt-get update -qq || true; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  local rootfs=$TMP/rootfs node npm_dir version
  node=$(readlink -f "$(command -v node)")
  npm_dir=$(dirname "$node")/../lib/node_modules
  version=$("$node" -p process.versions.node)
  case "$version" in 20.*) ;; *) say "this machine's node is $version, not 20"; exit 1 ;; esac
  say "debootstrap bookworm (minbase) for the $BASE stand-in"
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$TMP/debootstrap.log" 2>&1 \
    || { tail -n 20 "$TMP/debootstrap.log" >&2; exit 1; }

  # The apt sources and the "slim" trimming of the official debian:bookworm-slim.
  rm -f "$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
  echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$rootfs/etc/apt/apt.conf.d/docker-autoremove-suggests"
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$rootfs"/usr/share/{man,info,groff,linda,lintian/overrides,locale}/*

  # Node where the official image has it: /usr/local/bin/node, npm (and corepack) in
  # /usr/local/lib/node_modules with relative links in /usr/local/bin, headers in /usr/local/include.
  install -D -m 0755 "$node" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/lib/node_modules" "$rootfs/usr/local/include"
  cp -a "$npm_dir/npm" "$rootfs/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  if [ -d "$npm_dir/corepack" ]; then
    cp -a "$npm_dir/corepack" "$rootfs/usr/local/lib/node_modules/corepack"
    ln -s ../lib/node_modules/corepack/dist/corepack.js "$rootfs/usr/local/bin/corepack"
  fi
  [ -d /usr/include/node ] && cp -a /usr/include/node "$rootfs/usr/local/include/node"
  # Not in the official image: CAs this machine trusts beyond Debian's ca-certificates (a
  # TLS-intercepting egress proxy), for node only, so npm ci in the build reaches the registry.
  local extra_ca=usr/local/share/tokobot-host-extra-ca.pem change_ca=()
  "$node" -e '
    const fs = require("fs"), path = require("path");
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g, norm = (s) => s.replace(/\s/g, "");
    const stock = new Set();
    const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else if (p.endsWith(".crt")) for (const c of fs.readFileSync(p, "utf8").match(pem) ?? []) stock.add(norm(c));
    } };
    if (fs.existsSync("/usr/share/ca-certificates")) walk("/usr/share/ca-certificates");
    const bundle = [process.env.NODE_EXTRA_CA_CERTS, "/etc/ssl/certs/ca-certificates.crt"].find((f) => f && fs.existsSync(f));
    const extra = bundle ? (fs.readFileSync(bundle, "utf8").match(pem) ?? []).filter((c) => !stock.has(norm(c))) : [];
    if (extra.length) fs.writeFileSync(process.argv[1], extra.join("\n") + "\n");
  ' "$rootfs/$extra_ca"
  if [ -s "$rootfs/$extra_ca" ]; then
    change_ca=(--change "ENV NODE_EXTRA_CA_CERTS=/$extra_ca")
    say "the stand-in trusts $(grep -c 'BEGIN CERT' "$rootfs/$extra_ca") CA(s) of this machine beyond Debian's (NODE_EXTRA_CA_CERTS=/$extra_ca)"
  fi
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  cat >"$rootfs/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
# Run command with node if the first argument contains a "-" or is not a system command.
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
EOF
  chmod 0755 "$rootfs/usr/local/bin/docker-entrypoint.sh"

  # Nothing of this machine or of the bootstrap left behind: apt lists and caches, logs, /dev.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old \
    "$rootfs"/var/log/* "$rootfs"/dev/* "$rootfs"/run/* "$rootfs"/tmp/* "$rootfs"/var/tmp/* \
    "$rootfs"/root/.npm "$rootfs"/etc/*- 2>/dev/null || true
  : >"$rootfs/etc/resolv.conf"
  echo debian >"$rootfs/etc/hostname"

  tar -C "$rootfs" --numeric-owner -c . | docker import \
    --change "LABEL tokobot.stand-in=\"local stand-in for the official $BASE: debootstrap bookworm minbase + this machine's node $version (docker/image-check.sh)\"" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=$version" "${change_ca[@]}" \
    --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
    --change 'CMD ["node"]' \
    - "$BASE" >/dev/null
  rm -rf "$rootfs"
  say "$BASE stand-in imported: node $(docker run --rm --network host "$BASE" node --version), npm $(docker run --rm --network host "$BASE" npm --version)"
}

# ------------------------------------------------------------------ 2. the image
docker info >/dev/null 2>&1 || bash "$ROOT/docker/dockerd-up.sh" >&2
build_base
say "building $IMAGE (log: $BUILD_LOG)"
old_id=$(docker image inspect "$IMAGE" --format '{{.Id}}' 2>/dev/null || true)
# The deps stage stays behind as an untagged image on $BASE; --no-cache replaces it, so the old one goes.
deps_images() {
  local base img
  base=$(docker image inspect "$BASE" --format '{{.Id}}' | cut -c8-19)
  for img in $(docker images -q --filter dangling=true); do
    docker history -q "$img" | grep -qx "$base" \
      && docker history --no-trunc --format '{{.CreatedBy}}' "$img" | head -n 1 | grep -q 'npm ci --omit=dev' \
      && echo "$img"
  done
  return 0
}
old_deps=$([ ${#NO_CACHE[@]} = 0 ] || deps_images)
start_s=$(date +%s)
if ! (cd "$ROOT" && docker build --network host --force-rm "${NO_CACHE[@]}" -f docker/Dockerfile --build-arg PG_MAJOR=$PG_MAJOR -t "$IMAGE" .) >"$BUILD_LOG" 2>&1; then
  tail -n 40 "$BUILD_LOG" >&2
  fail "docker build"
  exit 1
fi
BUILD_S=$(( $(date +%s) - start_s ))
CACHED=$(grep -c -- '---> Using cache' "$BUILD_LOG" || true)
# A rebuild leaves the previous image untagged; drop it unless a container still uses it.
new_id=$(docker image inspect "$IMAGE" --format '{{.Id}}')
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then docker rmi "$old_id" >/dev/null 2>&1 || true; fi
for img in $old_deps; do docker rmi "$img" >/dev/null 2>&1 || true; done
ok "docker build -f docker/Dockerfile --build-arg PG_MAJOR=$PG_MAJOR -t $IMAGE"

# ------------------------------------------------------------------ 3. checks
run() { docker run --rm --network host "$@"; }

out=$(run --entrypoint id "$IMAGE" -u 2>&1) || true
[ "$out" = 10001 ] && ok "runs as uid 10001" || fail "runs as uid 10001" "id -u said $out"
out=$(run --entrypoint "/usr/lib/postgresql/$PG_MAJOR/bin/pg_restore" "$IMAGE" --version 2>&1) || true
[[ "$out" == "pg_restore (PostgreSQL) $PG_MAJOR."* ]] && ok "$out" || fail "pg_restore --version" "$out"
out=$(run --entrypoint sh "$IMAGE" -c 'command -v pg_restore' 2>&1) || true
[ "$out" = "/usr/lib/postgresql/$PG_MAJOR/bin/pg_restore" ] && ok "pg_restore on PATH is $out" || fail "pg_restore on PATH" "$out"
out=$(run --entrypoint chromium "$IMAGE" --version 2>&1) || true
[[ "$out" == Chromium* ]] && ok "$out" || fail "chromium --version" "$out"
out=$(run "$IMAGE" --help 2>&1) && [[ "$out" == Usage:* ]] && ok "tokobot --help prints the usage" || fail "tokobot --help" "${out:0:200}"

# Volume: a new named volume takes /data's owner (10001) from the image.
drop_databases
docker volume create "$VOLUME" >/dev/null
ENV_ARGS=(-e SOURCE=folder -e SOURCE_DIR=/backups -e RESTORE_TARGET=external -e "PG_URL=$PG_URL"
  -e "OPS_DATABASE=tokobot_${STORE}_ops" -e "STORE_ID=$STORE")
MOUNTS=(-v "$ROOT/demo/toko-contoh:/backups:ro" -v "$VOLUME:/data")
LIKE_COMPOSE=(--network host --cap-drop ALL --security-opt no-new-privileges:true)
tokobot() { docker run --rm "${LIKE_COMPOSE[@]}" --name "$NAME-sync" "${ENV_ARGS[@]}" "${MOUNTS[@]}" "$IMAGE" "$@"; }

if out=$(tokobot sync 2>"$TMP/sync.err") && [[ "$out" == "[$STORE] published "*" price rows from backup_toko_contoh.i5bu"* ]]; then
  ok "sync: $out"
else
  fail "sync" "$out $(tail -n 5 "$TMP/sync.err")"
fi
if grep -q "own restorer" "$TMP/sync.err"; then fail "sync used pg_restore" "$(grep "own restorer" "$TMP/sync.err")"; fi
out=$(tokobot ask "indomie" 2>&1) || true
if grep -qi indomie <<<"$out" && grep -q 'Rp' <<<"$out"; then ok "ask \"indomie\": $(grep -i -m1 indomie <<<"$out" | tr -s ' ')"; else fail "ask \"indomie\"" "${out:0:300}"; fi
out=$(tokobot doctor 2>&1) && code=0 || code=$?
if [ "$code" = 0 ] && grep -q "pg_restore $PG_MAJOR" <<<"$out"; then
  ok "doctor: no failures ($(grep -c '' <<<"$out") lines, restore server with pg_restore $PG_MAJOR)"
else
  fail "doctor (exit $code)" "$(tr '\n' ' ' <<<"$out" | cut -c1-400)"
fi

# start: needs a Telegram Bot API; a fake one runs on the host (host networking: the container sees it).
if ss -ltnH "sport = :$HTTP_PORT" | grep -q .; then fail "start" "port $HTTP_PORT is in use (set IMAGE_CHECK_HTTP_PORT)"; exit 1; fi
cat >"$TMP/fake-telegram.mts" <<EOF
import { FakeTelegram } from '$ROOT/test/fakes/fake-telegram.ts';
const tg = await FakeTelegram.start();
process.stdout.write(tg.token + ' ' + tg.url + '\n');
process.once('SIGTERM', () => { void tg.close().then(() => process.exit(0)); });
EOF
(cd "$ROOT" && exec node --import tsx "$TMP/fake-telegram.mts") >"$TMP/tg.out" 2>"$TMP/tg.err" &
TG_PID=$!
for _ in $(seq 1 100); do [ -s "$TMP/tg.out" ] && break; sleep 0.1; done
read -r TG_TOKEN TG_URL <"$TMP/tg.out" || { fail "fake Telegram" "$(cat "$TMP/tg.err")"; exit 1; }

docker run -d "${LIKE_COMPOSE[@]}" --name "$NAME-start" "${ENV_ARGS[@]}" "${MOUNTS[@]}" \
  -e "TELEGRAM_BOT_TOKEN=$TG_TOKEN" -e "TELEGRAM_API_ROOT=$TG_URL" -e "HTTP_PORT=$HTTP_PORT" -e HTTP_HOST=127.0.0.1 \
  --health-interval 2s --health-timeout 5s --health-retries 3 --health-start-period 30s \
  "$IMAGE" start >/dev/null
code=000
for _ in $(seq 1 60); do
  code=$(curl -s -o "$TMP/healthz" -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/healthz" || true)
  [ "$code" = 200 ] && break
  [ "$(docker inspect --format '{{.State.Running}}' "$NAME-start")" = true ] || break
  sleep 1
done
[ "$code" = 200 ] && ok "start: GET /healthz from the host answers 200 ($(tr -d ' \n' <"$TMP/healthz" | cut -c1-80))" \
  || fail "start: /healthz" "HTTP $code; $(docker logs --tail 5 "$NAME-start" 2>&1 | tr '\n' ' ')"
health=
for _ in $(seq 1 30); do
  health=$(docker inspect --format '{{.State.Health.Status}}' "$NAME-start")
  [ "$health" = healthy ] || [ "$health" = unhealthy ] && break
  sleep 1
done
[ "$health" = healthy ] && ok "start: docker health status healthy" || fail "start: docker health status" "$health"
running=$(docker inspect --format '{{.State.Running}}' "$NAME-start")
stop_ms=$(date +%s%3N)
docker stop -t 45 "$NAME-start" >/dev/null
stop_ms=$(( $(date +%s%3N) - stop_ms ))
stop_s=$(( stop_ms / 1000 )).$(printf '%03d' $(( stop_ms % 1000 )))
exit_code=$(docker inspect --format '{{.State.ExitCode}}' "$NAME-start")
if [ "$running" = true ] && { [ "$exit_code" = 0 ] || [ "$exit_code" = 143 ]; } \
  && docker logs "$NAME-start" 2>&1 | grep -q '"signal":"SIGTERM","msg":"stopping"'; then
  ok "start: docker stop (SIGTERM via tini) took ${stop_s} s, exit code $exit_code"
else
  fail "start: docker stop" "running before: $running, exit code $exit_code after ${stop_s} s; $(docker logs --tail 5 "$NAME-start" 2>&1 | tr '\n' ' ')"
fi

# ------------------------------------------------------------------ 4. RESTORE_TARGET=docker
if [ -n "$DOCKER_TARGET" ]; then
  bash "$ROOT/docker/postgres-image/build.sh" >&2
  docker rm "$NAME-start" >/dev/null   # it holds the /data volume, which starts afresh here
  docker volume rm "$VOLUME" >/dev/null
  docker volume create "$VOLUME" >/dev/null
  DT_ARGS=(--group-add "$(stat -c %g /var/run/docker.sock)" -v /var/run/docker.sock:/var/run/docker.sock
    -e RESTORE_TARGET=docker -e PG_DOCKER_IMAGE=tokobot/postgres:15-local -e PG_DOCKER_NETWORK=host
    -e "PG_DOCKER_PORT=$PG_DOCKER_PORT" -e "PG_DOCKER_CONTAINER=$PG_CONTAINER" -e "PG_DOCKER_VOLUME=$PG_VOLUME")
  dt() { docker run --rm "${LIKE_COMPOSE[@]}" --name "$NAME-sync" "${ENV_ARGS[@]}" "${MOUNTS[@]}" "${DT_ARGS[@]}" "$IMAGE" "$@"; }
  if out=$(dt sync 2>"$TMP/dt.err") && [[ "$out" == "[$STORE] published "*" price rows from backup_toko_contoh.i5bu"* ]] \
    && [ "$(docker inspect --format '{{.State.Running}}' "$PG_CONTAINER" 2>/dev/null)" = true ]; then
    ok "docker target: sync into the container $PG_CONTAINER: $out"
  else
    fail "docker target: sync" "$out $(tail -n 5 "$TMP/dt.err")"
  fi
  out=$(dt ask "indomie" 2>&1) || true
  if grep -qi indomie <<<"$out" && grep -q 'Rp' <<<"$out"; then ok "docker target: ask \"indomie\""; else fail "docker target: ask" "${out:0:300}"; fi
fi

# ------------------------------------------------------------------ summary
cleanup
trap - EXIT
leftover="$(docker ps -aq --filter "name=^$NAME") $(docker volume ls -q --filter "name=^$NAME")"
leftover+=$(psql_host -c "SELECT string_agg(datname, ' ') FROM pg_database WHERE datname ~ '^(ipos|tokobot)_${STORE}'")
[ -z "${leftover// /}" ] && ok "cleanup: no container, volume or host database left" || fail "cleanup" "left: $leftover"
size=$(docker image inspect "$IMAGE" --format '{{.Size}}')
echo "build time: ${BUILD_S} s (${CACHED} steps from cache${NO_CACHE:+, --no-cache})"
echo "image size: $(( size / 1000 / 1000 )) MB ($size bytes) $IMAGE"
[ "$FAILED" = 0 ] && echo "image-check: all checks passed" || { echo "image-check: some checks FAILED"; exit 1; }
