#!/bin/sh
# A small stand-in for the official postgres image's entrypoint, for the locally built test image:
# honours POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, POSTGRES_HOST_AUTH_METHOD,
# POSTGRES_INITDB_ARGS and PGDATA, runs initdb on first start, then execs postgres with the
# arguments given (e.g. postgres -p 55433 -c listen_addresses=127.0.0.1). Like the official image,
# the local socket trusts everyone and TCP wants the password (scram-sha-256) once one is set.
set -e
: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
export PGDATA

case "$1" in -*) set -- postgres "$@" ;; esac
[ "$1" = "postgres" ] || exec "$@"

if [ "$(id -u)" = "0" ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  # runuser aborts without PAM; setpriv drops privileges without it.
  exec setpriv --reuid=999 --regid=999 --clear-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  auth=trust
  pwopt=""
  if [ -n "${POSTGRES_PASSWORD:-}" ]; then
    # A file, not an argument: the password must not show in the process list.
    (umask 077 && printf '%s\n' "$POSTGRES_PASSWORD" > /tmp/pgpass.init)
    pwopt="--pwfile=/tmp/pgpass.init"
    auth=scram-sha-256
  else
    echo "entrypoint: WARNING: no POSTGRES_PASSWORD, TCP connections are trusted" >&2
  fi
  auth=${POSTGRES_HOST_AUTH_METHOD:-$auth}
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of words, as in the official image
  initdb -D "$PGDATA" -U "$POSTGRES_USER" $pwopt --auth-local=trust --auth-host="$auth" --no-locale -E UTF8 ${POSTGRES_INITDB_ARGS:-} >/dev/null
  rm -f /tmp/pgpass.init
  echo "host all all all $auth" >> "$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  if [ "$POSTGRES_DB" != "postgres" ]; then
    echo "CREATE DATABASE \"$POSTGRES_DB\";" | postgres --single -D "$PGDATA" postgres >/dev/null
  fi
  echo "entrypoint: database cluster initialised in $PGDATA"
fi

shift
exec postgres -D "$PGDATA" "$@"
