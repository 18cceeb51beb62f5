#!/usr/bin/env bash
# The one test command: installs and starts what the tests need (a throwaway PostgreSQL server on a free
# loopback port, Prism for the provider contract tests, dovecot for the IMAP tests), runs every test on SQLite and
# PostgreSQL, and stops the server afterwards.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

# Installs Debian packages as root (CI runs this on a fresh Debian with no standard input); apt-get update runs once,
# before the first install. A normal user is told what to install instead.
apt_updated=""
apt_install() {
  local what="$1"
  shift
  if [ "$(id -u)" -ne 0 ]; then
    echo "$what is missing; install the package(s) '$*' (as root) and run again." >&2
    exit 1
  fi
  if [ -z "$apt_updated" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  echo "Installing $what..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(pg_bin)" ]; then
  apt_install "PostgreSQL" postgresql
fi
bin="$(pg_bin)"

# Debian's dovecot for the IMAP tests: they start private instances of it (tests/Leadline.Tests/Infrastructure/Dovecot.cs),
# never the system service.
if [ ! -x /usr/sbin/dovecot ]; then
  apt_install "Dovecot (IMAP server)" dovecot-imapd
fi
export LEADLINE_TEST_DOVECOT=/usr/sbin/dovecot

# Prism (npm @stoplight/prism-cli) checks our provider requests against the official OpenAPI documents kept in
# tests/Leadline.Tests/Delivery/specs. It is installed once into .cache/prism; the contract tests start it and find it here.
prism="$root/.cache/prism/node_modules/.bin/prism"
if [ ! -x "$prism" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    apt_install "Node.js and npm" nodejs npm
  fi
  echo "Installing Prism..."
  npm install --prefix "$root/.cache/prism" --no-audit --no-fund --loglevel=error @stoplight/prism-cli@5 >/dev/null
fi
export LEADLINE_TEST_PRISM="$prism"

work="$(mktemp -d /tmp/leadline-test.XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo $((20000 + RANDOM % 20000)))"

# PostgreSQL refuses to run as root: run it as the postgres user when we are root.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$work"
  as_pg=(runuser -u postgres --)
fi

cleanup() {
  "${as_pg[@]}" "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "Starting PostgreSQL on 127.0.0.1:$port..."
"${as_pg[@]}" "$bin/initdb" -D "$work/data" -A trust -U postgres --no-sync >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w -o \
  "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null

export LEADLINE_TEST_PG="postgresql://postgres@127.0.0.1:$port/postgres"
dotnet build Leadline.slnx -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet test Leadline.slnx -c Release --no-build --nologo "$@"
