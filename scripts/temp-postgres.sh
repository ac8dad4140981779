# Sourced by .ci/run and the benchmarks: start a throw-away PostgreSQL server from the machine's
# PostgreSQL binaries (initdb, pg_ctl) on a free loopback port, data in a temp dir, and export
# DATABASE_URL. The server and its data are removed when the calling shell exits.
# PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.

start_temp_postgres() {
  pg_dir=$(mktemp -d /tmp/pantau-pg.XXXXXX)
  pg_port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$pg_dir"
    as_pg() { runuser -u postgres -- "$@"; }
  else
    as_pg() { "$@"; }
  fi
  trap 'as_pg pg_ctl -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"' EXIT
  as_pg initdb -D "$pg_dir/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
  as_pg pg_ctl -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
  echo "== PostgreSQL $(as_pg postgres --version | awk '{print $3}') on 127.0.0.1:$pg_port (throw-away)"
}
