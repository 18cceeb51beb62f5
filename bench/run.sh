#!/usr/bin/env bash
# Benchmarks Leadline on one database: builds the server and the bench, starts a fresh server (SQLite: a new
# temporary file; PostgreSQL: a throwaway server on a free loopback port, like test.sh), runs
# bench/Leadline.Bench against it with the server's pid, then stops everything and removes the temporary files.
#
#   bench/run.sh sqlite|postgres [bench options...]
#   bench/run.sh sqlite --leads 1000 --concurrency 100
#   bench/run.sh postgres --leads 3000 --rate 300 --json /tmp/pg-rate.json
#   bench/run.sh sqlite --leads 300 --rate 10 --llm-delay-ms 800 --json /tmp/llm.json
#   bench/run.sh sqlite --mail --leads 50 --rate 5 --json /tmp/mail.json
#
# With --llm-delay-ms N (or BENCH_LLM_DELAY_MS=N) the server replies through its openai engine, pointed at a fake
# model on a free loopback port (Leadline.Bench fake-llm) that answers every call after N ms, or after a delay drawn
# from N - J to N + J with --llm-jitter-ms J (BENCH_LLM_JITTER_MS); the bench then splits each lead's speed to lead
# into model time and overhead. The tenant's booking link is BOOKING_LINK, or https://book.example.com/bench.
#
# With --mail the leads come by e-mail instead: a private dovecot (Leadline.Bench mail-setup, then dovecot -F) runs
# on free loopback ports in its own temporary directory with one user, the server reads that mailbox as the default
# tenant's (IMAP_*, STARTTLS with a generated certificate pinned through IMAP_TLS_CERT; BENCH_IMAP_TLS=none|implicit
# changes that), and the bench delivers personal e-mails into its Maildir at --rate R per second (all at once without
# --rate) and measures each one from delivery to its first reply. DOVECOT names another dovecot binary.
#
# Environment: WORKERS, LOG_LEVEL, JOB_POLL_MS and LLM_TIMEOUT_MS are passed to the server when set; BENCH_TIME_LIMIT
# bounds the bench itself (seconds, default 900); BENCH_KEEP=1 keeps the temporary directory (server log, database);
# BENCH_PG_OPTS adds PostgreSQL settings (e.g. "-c log_min_duration_statement=20") for diagnosis.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

db="${1:-}"
case "$db" in
  sqlite|postgres) shift ;;
  *) echo "usage: bench/run.sh sqlite|postgres [bench options...]  (see: bench/run.sh sqlite --help)" >&2; exit 64 ;;
esac

# The fake model's options are this script's; everything else goes to the bench.
llm_delay="${BENCH_LLM_DELAY_MS:-}"
llm_jitter="${BENCH_LLM_JITTER_MS:-0}"
mail=0
bench_args=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --mail) mail=1; bench_args+=("$1"); shift ;;
    --llm-delay-ms) llm_delay="${2:?--llm-delay-ms needs a value}"; shift 2 ;;
    --llm-jitter-ms) llm_jitter="${2:?--llm-jitter-ms needs a value}"; shift 2 ;;
    *) bench_args+=("$1"); shift ;;
  esac
done

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000))
}

wait_for() { # wait_for SECONDS COMMAND...: retries the command every 0.2 s until it succeeds or time runs out
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then return 1; fi
    sleep 0.2
  done
}

echo "Building the server and the bench..." >&2
./leadline help >/dev/null
dotnet build bench/Leadline.Bench/Leadline.Bench.csproj -c Release -o .artifacts/bench --nologo -v quiet -clp:ErrorsOnly >&2

work="$(mktemp -d /tmp/leadline-bench.XXXXXX)"
server_pid=""
llm_pid=""
dovecot_pid=""
mail_dir=""
pg_bin=""
as_pg=()

cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$llm_pid" ] && kill -0 "$llm_pid" 2>/dev/null; then
    kill -TERM "$llm_pid" 2>/dev/null || true
    for _ in $(seq 1 25); do kill -0 "$llm_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$llm_pid" 2>/dev/null || true
  fi
  if [ -n "$dovecot_pid" ] && kill -0 "$dovecot_pid" 2>/dev/null; then
    "$dovecot" -c "$mail_dir/dovecot.conf" stop >/dev/null 2>&1 || kill -TERM "$dovecot_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$dovecot_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$dovecot_pid" 2>/dev/null || true
  fi
  if [ -n "$pg_bin" ]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
  fi
  if [ "${BENCH_KEEP:-0}" = "1" ]; then
    echo "Kept $work (server.log, database)${mail_dir:+ and $mail_dir (dovecot.log, Maildir)}." >&2
  else
    rm -rf "$work"
    if [ -n "$mail_dir" ]; then rm -rf "$mail_dir"; fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$db" = "postgres" ]; then
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$pg_bin" ]; then
    echo "PostgreSQL server binaries are missing; run ./test.sh once (it installs them) or apt-get install postgresql." >&2
    exit 1
  fi
  # PostgreSQL refuses to run as root: run it as the postgres user when we are root.
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$work"
    as_pg=(runuser -u postgres --)
  fi
  pg_port="$(free_port)"
  echo "Starting PostgreSQL on 127.0.0.1:$pg_port..." >&2
  "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -A trust -U postgres --no-sync >/dev/null
  # synchronous_commit=off matches SQLite's synchronous=NORMAL in WAL mode: a commit survives a crash of the
  # process but not of the machine. fsync stays on, so checkpoints still pay for durable writes.
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/postgres.log" -w -o \
    "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c synchronous_commit=off -c max_connections=200 ${BENCH_PG_OPTS:-}" \
    start >/dev/null
  db_url="postgresql://postgres@127.0.0.1:$pg_port/postgres${BENCH_DB_QUERY:+?$BENCH_DB_QUERY}"
else
  db_url="sqlite:///$work/leadline.db"
fi

llm_env=()
engine="default"
if [ -n "$llm_delay" ]; then
  engine="openai via the fake model"
  llm_port="$(free_port)"
  llm_url="http://127.0.0.1:$llm_port"
  echo "Starting the fake model on $llm_url ($llm_delay ms, jitter $llm_jitter ms)..." >&2
  dotnet .artifacts/bench/Leadline.Bench.dll fake-llm --port "$llm_port" --delay-ms "$llm_delay" --jitter-ms "$llm_jitter" \
    >"$work/fake-llm.log" 2>&1 &
  llm_pid=$!
  if ! wait_for 60 curl -fsS "$llm_url/healthz"; then
    echo "The fake model did not start in 60 s; its log:" >&2
    tail -n 40 "$work/fake-llm.log" >&2
    exit 1
  fi
  llm_env=(LLM_PROVIDER=openai OPENAI_BASE_URL="$llm_url/v1" OPENAI_API_KEY=bench
    BOOKING_LINK="${BOOKING_LINK:-https://book.example.com/bench}")
  bench_args+=(--llm-url "$llm_url")
fi

mail_env=()
if [ "$mail" = "1" ]; then
  dovecot="${DOVECOT:-/usr/sbin/dovecot}"
  if [ ! -x "$dovecot" ]; then
    echo "dovecot is missing at $dovecot; run ./test.sh once (it installs dovecot-imapd) or set DOVECOT." >&2
    exit 1
  fi
  # A directory of its own: as root, dovecot's unprivileged processes must reach it, which $work may not allow.
  mail_dir="$(mktemp -d /tmp/leadline-bench-mail.XXXXXX)"
  dotnet .artifacts/bench/Leadline.Bench.dll mail-setup --dir "$mail_dir" --tls "${BENCH_IMAP_TLS:-starttls}" >"$mail_dir/imap.env"
  maildir=""
  imap_port=""
  while IFS='=' read -r key value; do
    case "$key" in
      BENCH_MAILDIR) maildir="$value" ;;
      IMAP_PORT) imap_port="$value"; mail_env+=("$key=$value") ;;
      IMAP_*) mail_env+=("$key=$value") ;;
    esac
  done <"$mail_dir/imap.env"
  plain_port="$(sed -n 's/^ *port = //p' "$mail_dir/dovecot.conf" | head -n 1)"
  echo "Starting dovecot on 127.0.0.1:$imap_port (IMAP_TLS=${BENCH_IMAP_TLS:-starttls})..." >&2
  "$dovecot" -F -c "$mail_dir/dovecot.conf" >"$mail_dir/dovecot.out" 2>&1 &
  dovecot_pid=$!
  # Until its auth process is up, dovecot greets with "Waiting for authentication process"; ready, it lists capabilities.
  imap_greets() {
    local line=""
    exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
    IFS= read -r -t 2 line <&3 || true
    exec 3<&- 3>&-
    [[ "$line" == *CAPABILITY* ]]
  }
  if ! wait_for 30 imap_greets "$plain_port"; then
    echo "dovecot did not greet in 30 s; its output and log:" >&2
    cat "$mail_dir/dovecot.out" >&2
    tail -n 40 "$mail_dir/dovecot.log" >&2 2>/dev/null || true
    exit 1
  fi
  bench_args+=(--maildir "$maildir")
fi

port="$(free_port)"
token="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
url="http://127.0.0.1:$port"
echo "Starting Leadline on $url ($db, WORKERS=${WORKERS:-default}, LOG_LEVEL=${LOG_LEVEL:-default}, engine $engine)..." >&2
# The wrapper execs dotnet, so $! is the server process itself (the pid whose memory the bench samples).
env "${llm_env[@]}" "${mail_env[@]}" PORT="$port" HOST=127.0.0.1 DB_URL="$db_url" ADMIN_BEARER_TOKEN="$token" ./leadline serve >"$work/server.log" 2>&1 &
server_pid=$!
if ! wait_for 60 curl -fsS "$url/readyz"; then
  echo "The server did not become ready in 60 s; its log:" >&2
  tail -n 40 "$work/server.log" >&2
  exit 1
fi

# The default tenant's hourly_outbound_cap (300 messages an hour by default) would hold every reply past the 300th of
# a run, warm-up included, so the bench lifts it (BENCH_OUTBOUND_CAP=N keeps a cap of N).
if ! curl -fsS -X PUT "$url/v1/admin/settings" -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    -d "{\"hourly_outbound_cap\": ${BENCH_OUTBOUND_CAP:-0}}" >/dev/null; then
  echo "Could not set the default tenant's hourly_outbound_cap; replies past the 300th may be held." >&2
fi

status=0
timeout --signal=INT --kill-after=10 "${BENCH_TIME_LIMIT:-900}" \
  dotnet .artifacts/bench/Leadline.Bench.dll --url "$url" --token "$token" --pid "$server_pid" "${bench_args[@]}" || status=$?
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "The server exited during the run; the end of its log:" >&2
  tail -n 40 "$work/server.log" >&2
fi
if [ -n "$dovecot_pid" ] && ! kill -0 "$dovecot_pid" 2>/dev/null; then
  echo "dovecot exited during the run; the end of its log:" >&2
  tail -n 40 "$mail_dir/dovecot.log" >&2 2>/dev/null || true
fi
if [ -n "$llm_pid" ] && ! kill -0 "$llm_pid" 2>/dev/null; then
  echo "The fake model exited during the run; the end of its log:" >&2
  tail -n 40 "$work/fake-llm.log" >&2
fi
exit "$status"
