#!/bin/sh
# Entry point of the kzbench reference image: `kzbench-serve zookeeper|kafka [extra serve flags]`.
# Writes the config file the way the official images derive theirs from the environment, then
# execs `kzbench serve <system> --config <file>` so the server is PID 1 and gets the signals.
set -eu
system="${1:-zookeeper}"
[ "$#" -gt 0 ] && shift

case "$system" in
zookeeper)
  # Same variables as the official `zookeeper` image.
  data_dir="${ZOO_DATA_DIR:-/data}"
  cfg=/conf/zoo.cfg
  mkdir -p "$data_dir" /conf
  {
    echo "tickTime=${ZOO_TICK_TIME:-2000}"
    echo "initLimit=${ZOO_INIT_LIMIT:-10}"
    echo "syncLimit=${ZOO_SYNC_LIMIT:-5}"
    echo "dataDir=$data_dir"
    echo "clientPort=${ZOO_CLIENT_PORT:-2181}"
    echo "4lw.commands.whitelist=${ZOO_4LW_COMMANDS_WHITELIST:-srvr}"
    echo "admin.enableServer=${ZOO_ADMINSERVER_ENABLED:-false}"
    # ZOO_SERVERS: "server.1=zk1:2888:3888;2181 server.2=..." (space-separated).
    for server in ${ZOO_SERVERS:-}; do echo "$server"; done
  } >"$cfg"
  if [ -n "${ZOO_MY_ID:-}" ]; then echo "$ZOO_MY_ID" >"$data_dir/myid"; fi
  ;;
kafka)
  # Like `apache/kafka`: every KAFKA_FOO_BAR becomes foo.bar (`__` → `_`, `___` → `-`).
  cfg=/conf/server.properties
  mkdir -p /conf /data
  : >"$cfg"
  env | grep '^KAFKA_' | grep -v '^KAFKA_HEAP_OPTS=' | while IFS='=' read -r name value; do
    key=$(printf '%s' "${name#KAFKA_}" | tr 'A-Z' 'a-z' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')
    printf '%s=%s\n' "$key" "$value" >>"$cfg"
  done
  grep -q '^log.dirs=' "$cfg" || echo 'log.dirs=/data' >>"$cfg"
  ;;
*)
  echo "usage: kzbench-serve zookeeper|kafka [serve flags]" >&2
  exit 2
  ;;
esac

exec node /app/dist/cli/main.js serve "$system" --config "$cfg" "$@"
