#!/usr/bin/env bash
# Makes a Docker Engine answer on /var/run/docker.sock, from nothing, as root and without
# prompts: installs docker.io from Debian if needed and starts dockerd without a bridge network
# (containers use host or none networking only, so none gets a private-range address).
# Records the pid of a dockerd it starts in $PIDFILE; dockerd-down.sh stops only that one.
set -euo pipefail
PIDFILE=${TOKOBOT_DOCKERD_PIDFILE:-/tmp/tokobot-dockerd.pid}
LOG=${TOKOBOT_DOCKERD_LOG:-/tmp/tokobot-dockerd.log}
WAIT_S=60

answers() { command -v docker >/dev/null 2>&1 && timeout 10 docker version >/dev/null 2>&1; }

if answers; then
  echo "dockerd-up: Docker Engine already answers"
  exit 0
fi
if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
  echo "dockerd-up: installing docker.io"
  export DEBIAN_FRONTEND=noninteractive
  # A list that fails to refresh (one unreachable mirror) must not stop the install.
  apt-get update -qq || echo "dockerd-up: apt-get update reported errors; installing anyway" >&2
  apt-get install -y -qq docker.io >/dev/null
  # The package's scripts may have started a daemon of their own (where an init system exists).
  if answers; then
    echo "dockerd-up: Docker Engine answers after the install"
    exit 0
  fi
fi

# A dockerd we started earlier that is still coming up: wait for it rather than start a second.
if [ -f "$PIDFILE" ] && [ "$(cat /proc/"$(cat "$PIDFILE")"/comm 2>/dev/null)" = dockerd ]; then
  echo "dockerd-up: waiting for the dockerd already started (pid $(cat "$PIDFILE"))"
else
  echo "dockerd-up: starting dockerd (log: $LOG)"
  nohup dockerd --bridge=none --iptables=false --ip6tables=false >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
fi
for _ in $(seq 1 "$WAIT_S"); do
  if answers; then
    echo "dockerd-up: ready"
    exit 0
  fi
  if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then break; fi
  sleep 1
done
echo "dockerd-up: dockerd did not answer within $WAIT_S s; last log lines:" >&2
tail -n 20 "$LOG" >&2 || true
exit 1
