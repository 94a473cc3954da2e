#!/usr/bin/env bash
# A PostgreSQL server on loopback for the distributed-study tests and benchmarks (Debian's postgresql package).
#   scripts/postgres.sh start     install if missing, start, create the naskit role and database; prints the connection string
#   scripts/postgres.sh restart   restart the server (the tests use it to take the database away mid-study)
#   scripts/postgres.sh stop
# Idempotent. Needs root (or sudo): apt-get, and the server runs as the postgres user.
set -euo pipefail
SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
AS_POSTGRES=(runuser -u postgres --); [[ $(id -u) -ne 0 ]] && AS_POSTGRES=(sudo -u postgres)
conn="Host=127.0.0.1;Port=5432;Username=naskit;Password=naskit;Database=naskit_test"

cluster() { pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 {print $1" "$2}'; }

case "${1:-start}" in
  start)
    if ! command -v pg_ctlcluster >/dev/null || [[ -z "$(cluster)" ]]; then
      echo "postgres: installing postgresql" >&2
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    fi
    read -r ver name < <(cluster)
    $SUDO pg_ctlcluster "$ver" "$name" start >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    pg_isready -q -h 127.0.0.1 -p 5432 || { echo "postgres: the server did not come up; see /var/log/postgresql/" >&2; exit 1; }
    "${AS_POSTGRES[@]}" psql -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'naskit') THEN CREATE ROLE naskit LOGIN PASSWORD 'naskit' CREATEDB; END IF;
END $$;
SQL
    "${AS_POSTGRES[@]}" psql -tAc "SELECT 1 FROM pg_database WHERE datname='naskit_test'" | grep -q 1 \
      || "${AS_POSTGRES[@]}" createdb -O naskit naskit_test
    echo "$conn"
    ;;
  restart) read -r ver name < <(cluster); $SUDO pg_ctlcluster "$ver" "$name" restart ;;
  stop) read -r ver name < <(cluster); $SUDO pg_ctlcluster "$ver" "$name" stop ;;
  *) echo "usage: $0 start|restart|stop" >&2; exit 2 ;;
esac
