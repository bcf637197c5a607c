#!/usr/bin/env bash
# Makes a Docker Engine answer on /var/run/docker.sock: installs docker.io from Debian if needed
# and starts dockerd without a bridge network (containers use host or none networking only).
set -euo pipefail
PIDFILE=/tmp/tokobot-dockerd.pid
LOG=/tmp/tokobot-dockerd.log

if docker version >/dev/null 2>&1; then
  echo "dockerd-up: Docker Engine already answers"
  exit 0
fi
if ! command -v dockerd >/dev/null 2>&1; then
  echo "dockerd-up: installing docker.io"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi
echo "dockerd-up: starting dockerd (log: $LOG)"
nohup dockerd --bridge=none --iptables=false --ip6tables=false >"$LOG" 2>&1 &
echo $! >"$PIDFILE"
for _ in $(seq 1 60); do
  if docker version >/dev/null 2>&1; then
    echo "dockerd-up: ready"
    exit 0
  fi
  sleep 1
done
echo "dockerd-up: dockerd did not answer within 60 s; last log lines:" >&2
tail -n 20 "$LOG" >&2
exit 1
