#!/usr/bin/env bash
# Stops the dockerd that dockerd-up.sh started (and only that one).
set -u
PIDFILE=/tmp/tokobot-dockerd.pid
[ -f "$PIDFILE" ] || exit 0
pid=$(cat "$PIDFILE")
if kill -0 "$pid" 2>/dev/null; then
  kill "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
fi
rm -f "$PIDFILE"
