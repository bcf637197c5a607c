#!/usr/bin/env bash
# Stops the dockerd that dockerd-up.sh started, and only that one: a daemon that was already
# running (a service, another user's) has no pid file of ours and is left alone.
set -u
PIDFILE=${TOKOBOT_DOCKERD_PIDFILE:-/tmp/tokobot-dockerd.pid}
[ -f "$PIDFILE" ] || exit 0
pid=$(cat "$PIDFILE")
# The pid may have been reused by another program since: check it is still a dockerd.
if [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = dockerd ]; then
  kill -TERM "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "dockerd-down: dockerd (pid $pid) still running after 30 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
fi
rm -f "$PIDFILE"
