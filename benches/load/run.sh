#!/usr/bin/env bash
# Load test of a release build on SQLite and on PostgreSQL; writes docs/PERFORMANCE.md.
#
#   bash benches/load/run.sh                 # both backends, 20 s per scenario
#   BACKENDS=sqlite DURATION=10s bash benches/load/run.sh
#
# Per backend: a fresh database seeded with `art33 dev seed` (100 clients, 10,000 incidents, 2,000
# with running clocks, ~100,000 audit events), then `art33 serve` under wrk: DPO dashboard, officer
# dashboard, incident page, POST /api/v1/incidents, POST /api/v1/incidents/{id}/events; the alert
# lag of the alerts fired while serving and of the reports' P0 mails, and the server's peak RSS
# (VmHWM). Beside it, on the same database and with the same wrk settings as the DPO dashboard, the
# floor (`examples/floor.rs`: actix-web, askama and diesel serving the 50 newest incidents of one
# client, nothing else); every page's throughput is also given as a share of the floor's, so that
# "close to the limit" is measured on whatever machine runs this. Then, with the server stopped, timed ticks with `art33 dev tick-bench` (100,000 planned alerts, 1,000 due at each of
# five ticks: the median is reported and every round listed, a single tick being one sample), each
# followed by the timed sending of its mails (the outbox's drain alone).
#
# Mail goes over SMTP (MAIL=smtp, the default) to `examples/smtp_sink.rs`, a relay that accepts
# every mail at once and keeps nothing, so that the mail lag measured is art33's own SMTP path; or
# to files (MAIL=file), whose cost is mostly the file system's (benches/load/NOTES.md).
#
# Every setting below can be given in the environment (benches/load/NOTES.md, "Running it"): a
# quick check of the script itself is, for example,
#   BACKENDS=sqlite DURATION=2s INCIDENTS=300 CLIENTS=10 PLANNED=2000 DUE=50 TICK_ROUNDS=1 OUT=/tmp/perf.md \
#     bash benches/load/run.sh
#
# Pages are measured with LATENCY_CONNECTIONS (2: one per core of the reference machine), writes
# with CONNECTIONS (8). A CPU-bound server with more clients than cores queues them, and a p99
# taken there measures the queue (clients x service time / cores) rather than the page; the
# requests/s columns show the capacity.
#
# Needs: wrk, curl, jq, sqlite3, psql (installed with apt-get when missing and running as root);
# PostgreSQL at $ART33_LOAD_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres,
# trust auth), where a database art33_load is created and dropped.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

BACKENDS="${BACKENDS:-sqlite postgres}"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-8}"
LATENCY_CONNECTIONS="${LATENCY_CONNECTIONS:-2}"
THREADS="${THREADS:-2}"
CLIENTS="${CLIENTS:-100}"
INCIDENTS="${INCIDENTS:-10000}"
PLANNED="${PLANNED:-100000}"
DUE="${DUE:-1000}"
TICK_ROUNDS="${TICK_ROUNDS:-5}"
PG_ADMIN_URL="${ART33_LOAD_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PORT="${PORT:-18033}"
FLOOR_PORT="${FLOOR_PORT:-$((PORT + 1))}"
SINK_PORT="${SINK_PORT:-$((PORT + 2))}"
# How mail leaves: smtp (to examples/smtp_sink.rs on SINK_PORT) or file.
MAIL="${MAIL:-smtp}"
case "$MAIL" in
  smtp) MAIL_WAY="over SMTP to \`examples/smtp_sink.rs\`" ;;
  file) MAIL_WAY="to files" ;;
  *) echo "MAIL must be smtp or file, not $MAIL" >&2; exit 1 ;;
esac
# How long the reports' P0 mails may take to be sent after the last report before the rest count
# as not sent in time.
MAIL_WAIT="${MAIL_WAIT:-120}"
OUT="${OUT:-$ROOT/docs/PERFORMANCE.md}"
# The figures are a release build's; PROFILE=dev checks the script without building one.
PROFILE="${PROFILE:-release}"
PASSWORD="load-test-password-$RANDOM-x"

need() {
  local missing=()
  for tool in wrk curl jq sqlite3 psql; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    local packages=()
    for tool in "${missing[@]}"; do
      case "$tool" in psql) packages+=(postgresql-client) ;; *) packages+=("$tool") ;; esac
    done
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  else
    echo "missing: ${missing[*]}" >&2
    exit 1
  fi
}
need

step() { printf '\n=== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)" >&2; }

step "$PROFILE build"
cargo build --profile "$PROFILE" --quiet --bin art33 --example floor --example smtp_sink
case "$PROFILE" in dev) PROFILE_DIR=debug ;; *) PROFILE_DIR=$PROFILE ;; esac
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/$PROFILE_DIR/art33"
FLOOR_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/$PROFILE_DIR/examples/floor"
SINK_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/$PROFILE_DIR/examples/smtp_sink"

WORK="$(mktemp -d)"
SERVER_PID=""
FLOOR_PID=""
SINK_PID=""
cleanup() {
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null && wait "$SINK_PID" 2>/dev/null
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  [ -n "$FLOOR_PID" ] && kill "$FLOOR_PID" 2>/dev/null && wait "$FLOOR_PID" 2>/dev/null
  psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS art33_load" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Milliseconds from a wrk latency figure ("1.23ms", "850.00us", "1.02s").
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
    else { printf "%s", v } }'
}

# wrk CONNECTIONS NAME URL [LUA] [HEADER...] -> "p50 p99 rps non2xx"
load() {
  local connections=$1 name=$2 url=$3 script=$4; shift 4
  local args=(-t "$THREADS" -c "$connections" -d "$DURATION" --latency)
  [ -n "$script" ] && args+=(-s "$script")
  for header in "$@"; do args+=(-H "$header"); done
  wrk "${args[@]}" "$url" > "$WORK/$name.wrk"
  local p50 p99 rps bad
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/$name.wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/$name.wrk")
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$WORK/$name.wrk")
  bad=$(awk '/Non-2xx or 3xx responses/ {print $5}' "$WORK/$name.wrk")
  echo "$(to_ms "$p50") $(to_ms "$p99") $rps ${bad:-0}"
}

# CPU time in clock ticks (user + system): `cpu_ticks server` of the server's process, `cpu_ticks
# database` of every PostgreSQL process on the machine (none for SQLite: it runs in the server),
# `cpu_ticks busy` of the whole machine (everything but idle, I/O wait and steal).
cpu_ticks() {
  case "$1" in
    server) awk '{print $14 + $15}' "/proc/$SERVER_PID/stat" ;;
    database) { for pid in $(pgrep -x postgres); do awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null; done; echo 0; } |
      awk '{s += $1} END {print s}' ;;
    busy) awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8}' /proc/stat ;;
  esac
}

# Logs in through the form, as a browser does; prints the session cookie header.
login() {
  local email=$1 jar="$WORK/jar-$1"
  local csrf
  csrf=$(curl -sf -c "$jar" "http://127.0.0.1:$PORT/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
  curl -sf -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "next=/" \
    --data-urlencode "email=$email" --data-urlencode "password=$PASSWORD" "http://127.0.0.1:$PORT/login"
  echo "Cookie: art33_session=$(awk '$6 == "art33_session" {print $7}' "$jar")"
}

query() { # SQL on the load database, one value
  case "$BACKEND" in
    sqlite) sqlite3 "$WORK/load.db" "$1" ;;
    postgres) psql "$DB_URL" -Atc "$1" ;;
  esac
}

declare -A RESULT
for BACKEND in $BACKENDS; do
  step "$BACKEND: database"
  case "$BACKEND" in
    sqlite) DB_URL="sqlite://$WORK/load.db" ;;
    postgres)
      psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS art33_load" -c "CREATE DATABASE art33_load" >/dev/null
      # Without TLS: on one machine it only doubles the cost of every statement. Production
      # connections cross a network and use sslmode=require (docs/OPERATIONS.md).
      DB_URL="${PG_ADMIN_URL%/*}/art33_load?sslmode=disable"
      ;;
    *) echo "unknown backend $BACKEND" >&2; exit 1 ;;
  esac
  export ART33__DATABASE__URL="$DB_URL"
  case "$MAIL" in
    smtp)
      if [ -z "$SINK_PID" ]; then
        "$SINK_BIN" "127.0.0.1:$SINK_PORT" "$WORK/sink-count" 2> "$WORK/sink.log" &
        SINK_PID=$!
        for _ in $(seq 1 50); do grep -q listening "$WORK/sink.log" && break; sleep 0.1; done
        grep -q listening "$WORK/sink.log" || { cat "$WORK/sink.log" >&2; exit 1; }
      fi
      export ART33__MAIL__TRANSPORT=smtp ART33__MAIL__SMTP_URL="smtp://127.0.0.1:$SINK_PORT"
      ;;
    file) export ART33__MAIL__TRANSPORT=file ART33__MAIL__FILE_DIR="$WORK/mail-$BACKEND" ;;
  esac
  export ART33__SERVER__LISTEN="127.0.0.1:$PORT" ART33__SERVER__BASE_URL="http://127.0.0.1:$PORT"
  export ART33__SERVER__SECRET_KEY
  ART33__SERVER__SECRET_KEY=$(head -c 64 /dev/urandom | base64 -w0)
  export ART33__LOG__FORMAT=json ART33__LOG__FILTER=warn
  # One officer's token reports for every client: the per-reporter limit (30 a minute by default)
  # would answer nearly all of them 429.
  export ART33__SERVER__REPORTS_PER_MINUTE=0
  "$BIN" migrate >&2

  step "$BACKEND: seed ($CLIENTS clients, $INCIDENTS incidents)"
  start=$(date +%s)
  "$BIN" dev seed --clients "$CLIENTS" --incidents "$INCIDENTS" --password "$PASSWORD" > "$WORK/seed.json"
  RESULT[$BACKEND.seed_s]=$(( $(date +%s) - start ))
  RESULT[$BACKEND.running]=$(jq -r .running "$WORK/seed.json")
  RESULT[$BACKEND.audit]=$(jq -r .audit_events "$WORK/seed.json")

  step "$BACKEND: serve"
  "$BIN" serve > "$WORK/serve-$BACKEND.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
    sleep 0.2
  done
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"
  serve_started=$(date -u +"%Y-%m-%d %H:%M:%S")

  officer_token=$(jq -r .officer_token "$WORK/seed.json")
  client=$(jq -r .client "$WORK/seed.json")
  incident=$(jq -r .sample_incident "$WORK/seed.json")
  dpo_cookie=$(login "$(jq -r .dpo_email "$WORK/seed.json")")
  officer_cookie=$(login "$(jq -r .officer_email "$WORK/seed.json")")
  # The dashboards must render for these sessions before they are measured.
  curl -sf -o /dev/null -H "$dpo_cookie" "http://127.0.0.1:$PORT/"
  curl -sf -o /dev/null -H "$officer_cookie" "http://127.0.0.1:$PORT/"
  curl -sf -o /dev/null -H "$officer_cookie" "http://127.0.0.1:$PORT/incidents/$incident"

  # Pages are measured at steady state: the seed left alerts due; the running server fires and
  # mails those first (bounded wait), as it would before a DPO looks.
  for _ in $(seq 1 120); do
    backlog=$(query "SELECT (SELECT count(*) FROM outbox WHERE status = 'pending') + (SELECT count(*) FROM alerts WHERE status = 'planned' AND due_at <= '$(date -u +"%Y-%m-%d %H:%M:%S")')")
    [ "$backlog" = 0 ] && break
    sleep 1
  done
  RESULT[$BACKEND.settle_backlog]=$backlog

  step "$BACKEND: floor"
  # The floor serves the DPO's client from the same database, with the server idle beside it.
  "$FLOOR_BIN" "$DB_URL" "127.0.0.1:$FLOOR_PORT" > "$WORK/floor-$BACKEND.log" 2>&1 &
  FLOOR_PID=$!
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$FLOOR_PORT/$client" && break
    sleep 0.2
  done
  curl -sf -o /dev/null "http://127.0.0.1:$FLOOR_PORT/$client"
  read -r RESULT[$BACKEND.floor_p50] RESULT[$BACKEND.floor_p99] RESULT[$BACKEND.floor_rps] RESULT[$BACKEND.floor_bad] \
    < <(load "$LATENCY_CONNECTIONS" floor "http://127.0.0.1:$FLOOR_PORT/$client" "")
  kill "$FLOOR_PID"
  wait "$FLOOR_PID" 2>/dev/null || true
  FLOOR_PID=""

  step "$BACKEND: GET pages"
  read -r RESULT[$BACKEND.dpo_p50] RESULT[$BACKEND.dpo_p99] RESULT[$BACKEND.dpo_rps] RESULT[$BACKEND.dpo_bad] \
    < <(load "$LATENCY_CONNECTIONS" dpo-dashboard "http://127.0.0.1:$PORT/" "" "$dpo_cookie")
  read -r RESULT[$BACKEND.dpo8_p50] RESULT[$BACKEND.dpo8_p99] RESULT[$BACKEND.dpo8_rps] RESULT[$BACKEND.dpo8_bad] \
    < <(load "$CONNECTIONS" dpo-dashboard-saturated "http://127.0.0.1:$PORT/" "" "$dpo_cookie")
  read -r RESULT[$BACKEND.officer_p50] RESULT[$BACKEND.officer_p99] RESULT[$BACKEND.officer_rps] RESULT[$BACKEND.officer_bad] \
    < <(load "$LATENCY_CONNECTIONS" officer-dashboard "http://127.0.0.1:$PORT/" "" "$officer_cookie")
  read -r RESULT[$BACKEND.page_p50] RESULT[$BACKEND.page_p99] RESULT[$BACKEND.page_rps] RESULT[$BACKEND.page_bad] \
    < <(load "$LATENCY_CONNECTIONS" incident-page "http://127.0.0.1:$PORT/incidents/$incident" "" "$officer_cookie")

  step "$BACKEND: POST events"
  # Reassessments spread over the running incidents of every client.
  curl -sf -H "Authorization: Bearer $officer_token" "http://127.0.0.1:$PORT/api/v1/incidents?state=confirmed" \
    | jq -r '.items[:1000][].id' > "$WORK/running.txt"
  {
    echo 'local ids = {'
    sed 's/.*/  "&",/' "$WORK/running.txt"
    echo '}'
    cat <<'LUA'
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local body = '{"type":"assess","dpc":2,"ease_of_identification":"limited","confidentiality":1,"integrity":0,"availability":0,"malicious":false,"unintelligible":false,"vulnerable_subjects":false,"rationale":"Load test reassessment"}'
request = function()
  n = n + 1
  return wrk.format(nil, "/api/v1/incidents/" .. ids[(n % #ids) + 1] .. "/events", nil, body)
end
LUA
  } > "$WORK/events.lua"
  read -r RESULT[$BACKEND.events_p50] RESULT[$BACKEND.events_p99] RESULT[$BACKEND.events_rps] RESULT[$BACKEND.events_bad] \
    < <(load "$CONNECTIONS" events "http://127.0.0.1:$PORT" "$WORK/events.lua" "Authorization: Bearer $officer_token")

  step "$BACKEND: POST incidents"
  {
    echo "local clients = {"
    for n in $(seq 1 "$CLIENTS"); do printf '  "client-%03d",\n' "$n"; done
    echo "}"
    cat <<'LUA'
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local body = '{"client":"' .. clients[(n % #clients) + 1] .. '","title":"Load test report ' .. n ..
    '","summary":"A laptop was left on a train; the disk is encrypted.","discovered_at":"2026-01-01T09:00:00Z",' ..
    '"incident_kind":"lost_device","nature":["unknown"],"data_categories":["name_address"],"subject_groups":["customers"]}'
  return wrk.format(nil, "/api/v1/incidents", nil, body)
end
LUA
  } > "$WORK/report.lua"
  reported_before=$(query "SELECT count(*) FROM incidents")
  cpu_before=("$(cpu_ticks server)" "$(cpu_ticks database)" "$(cpu_ticks busy)")
  read -r RESULT[$BACKEND.report_p50] RESULT[$BACKEND.report_p99] RESULT[$BACKEND.report_rps] RESULT[$BACKEND.report_bad] \
    < <(load "$CONNECTIONS" report "http://127.0.0.1:$PORT" "$WORK/report.lua" "Authorization: Bearer $officer_token")
  cpu_after=("$(cpu_ticks server)" "$(cpu_ticks database)" "$(cpu_ticks busy)")
  # Where the machine's CPU went while it took the reports, per report: the server (the reports, and
  # the firing and mailing of their P0s as it happened), PostgreSQL, and the rest (wrk, the kernel's
  # share outside both); and the most reports a second the machine's cores could take at that cost.
  reports=$(( $(query "SELECT count(*) FROM incidents") - reported_before ))
  read -r RESULT[$BACKEND.report_cpu_server] RESULT[$BACKEND.report_cpu_db] RESULT[$BACKEND.report_cpu_rest] RESULT[$BACKEND.report_cpu_ceiling] < <(
    awk -v n="$reports" -v hz="$(getconf CLK_TCK)" -v cores="$(nproc)" \
      -v s="$(( cpu_after[0] - cpu_before[0] ))" -v d="$(( cpu_after[1] - cpu_before[1] ))" -v b="$(( cpu_after[2] - cpu_before[2] ))" \
      'BEGIN { ms = 1000 / hz / (n > 0 ? n : 1); printf "%.2f %.2f %.2f %.0f\n", s * ms, d * ms, (b - s - d) * ms, cores * 1000 / (b * ms > 0 ? b * ms : 1) }')

  step "$BACKEND: alert lag"
  # The reports above planned P0 alerts due at once; wait until the scheduler has fired them all
  # (bounded), then take the lag of everything fired while serving.
  for _ in $(seq 1 60); do
    pending=$(query "SELECT count(*) FROM alerts WHERE status = 'planned' AND due_at <= '$(date -u +"%Y-%m-%d %H:%M:%S")'")
    [ "$pending" = 0 ] && break
    sleep 1
  done
  case "$BACKEND" in
    sqlite) lag_expr="(julianday(fired_at) - julianday(due_at)) * 86400.0" ;;
    postgres) lag_expr="EXTRACT(EPOCH FROM fired_at - due_at)" ;;
  esac
  query "SELECT $lag_expr FROM alerts WHERE status = 'sent' AND due_at >= '$serve_started'" | sort -g > "$WORK/lags.txt"
  RESULT[$BACKEND.lag_n]=$(wc -l < "$WORK/lags.txt")
  RESULT[$BACKEND.lag_p50]=$(awk '{v[NR]=$1} END {if (NR) printf "%.2f", v[int((NR-1)*0.50)+1]; else print "n/a"}' "$WORK/lags.txt")
  RESULT[$BACKEND.lag_p99]=$(awk '{v[NR]=$1} END {if (NR) printf "%.2f", v[int((NR-1)*0.99)+1]; else print "n/a"}' "$WORK/lags.txt")
  RESULT[$BACKEND.lag_max]=$(awk '{v[NR]=$1} END {if (NR) printf "%.2f", v[NR]; else print "n/a"}' "$WORK/lags.txt")
  # The reports' P0 mails: sent − due, each; one not sent within MAIL_WAIT seconds of the last
  # report counts as never sent (its lag is infinite), so a p99 past the target says so.
  p0_mails="FROM outbox o JOIN alerts a ON a.id = o.alert_id WHERE a.code = 'P0' AND a.due_at >= '$serve_started'"
  for _ in $(seq 1 "$MAIL_WAIT"); do
    unsent=$(query "SELECT count(*) $p0_mails AND o.status <> 'sent'")
    [ "$unsent" = 0 ] && break
    sleep 1
  done
  case "$BACKEND" in
    sqlite) mail_lag_expr="(julianday(o.sent_at) - julianday(a.due_at)) * 86400.0" ;;
    postgres) mail_lag_expr="EXTRACT(EPOCH FROM o.sent_at - a.due_at)" ;;
  esac
  # The ones not sent go last: their lag is longer than any.
  query "SELECT $mail_lag_expr $p0_mails AND o.status = 'sent'" | sort -g > "$WORK/mail-lags.txt"
  query "SELECT 'never' $p0_mails AND o.status <> 'sent'" >> "$WORK/mail-lags.txt"
  lag_at() { awk -v q="$1" '{v[NR]=$1} END {if (!NR) print "n/a"; else { x = v[int((NR-1)*q)+1]; if (x == "never") print x; else printf "%.2f", x } }' "$WORK/mail-lags.txt"; }
  RESULT[$BACKEND.mail_n]=$(wc -l < "$WORK/mail-lags.txt")
  RESULT[$BACKEND.mail_unsent]=$unsent
  RESULT[$BACKEND.mail_p50]=$(lag_at 0.50)
  RESULT[$BACKEND.mail_p99]=$(lag_at 0.99)
  RESULT[$BACKEND.reported]=$(query "SELECT count(*) FROM incidents")

  step "$BACKEND: POST incidents, one client"
  # Every report for one client (taken after the measures above, which it would disturb): they
  # queue on that client's row and chain head, which group commit is for.
  sed 's/^  "client-[0-9]*",$//; s/^local clients = {$/local clients = { "client-001",/' "$WORK/report.lua" > "$WORK/report1.lua"
  read -r RESULT[$BACKEND.report1_p50] RESULT[$BACKEND.report1_p99] RESULT[$BACKEND.report1_rps] RESULT[$BACKEND.report1_bad] \
    < <(load "$CONNECTIONS" report1 "http://127.0.0.1:$PORT" "$WORK/report1.lua" "Authorization: Bearer $officer_token")
  # Their P0s are fired and mailed before the server stops, or the timed ticks would fire them.
  for _ in $(seq 1 "$MAIL_WAIT"); do
    left=$(query "SELECT (SELECT count(*) FROM alerts WHERE status = 'planned' AND due_at <= '$(date -u +"%Y-%m-%d %H:%M:%S")') + (SELECT count(*) FROM outbox WHERE status = 'pending')")
    [ "$left" = 0 ] && break
    sleep 1
  done

  RESULT[$BACKEND.rss_mb]=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$SERVER_PID/status")
  kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""

  # The tick is timed last, with the server stopped, on the database as the day's load left it.
  # Timed right after seeding, it was charged for writing back what the seed left in PostgreSQL's
  # buffers, and its 4,000 mails a round were still being drained while the pages were measured.
  step "$BACKEND: tick with $PLANNED planned alerts, $DUE due ($TICK_ROUNDS rounds)"
  "$BIN" dev tick-bench --planned "$PLANNED" --due "$DUE" --rounds "$TICK_ROUNDS" > "$WORK/tick.json"
  RESULT[$BACKEND.tick_ms]=$(jq -r '.tick_ms | floor' "$WORK/tick.json")
  RESULT[$BACKEND.tick_each]=$(jq -r '[.tick_ms_rounds[] | floor | tostring] | join(", ")' "$WORK/tick.json")
  RESULT[$BACKEND.tick_sent]=$(jq -r .sent "$WORK/tick.json")
  RESULT[$BACKEND.tick_mails]=$(jq -r .mails "$WORK/tick.json")
  RESULT[$BACKEND.drain_each]=$(jq -r '[.drain_ms_rounds[] | floor | tostring] | join(", ")' "$WORK/tick.json")
  RESULT[$BACKEND.drain_rate]=$(jq -r '.drained_per_second | floor' "$WORK/tick.json")

  step "$BACKEND: audit verify"
  "$BIN" audit verify >&2
  [ "$BACKEND" = postgres ] && psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS art33_load" >/dev/null
done

# --- the report ---------------------------------------------------------------------------------
tick_seconds=$(awk -F' *= *' '/^\[scheduler\]/ {s=1} s && $1 == "tick_seconds" {print $2; exit}' config/default.toml)
verdict() { # value op target -> met / **missed** (n/a: no figure)
  awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
    if (v == "" || v == "n/a") { print "n/a"; exit }
    if (v == "never") { print "**missed**"; exit }
    ok = (op == "<=") ? (v + 0 <= t + 0) : (v + 0 >= t + 0); print ok ? "met" : "**missed**" }'
}
row() { # label key unit op sqlite-target postgres-target target-text; an empty target: for information
  local line="| $1 |"
  for BACKEND in $BACKENDS; do
    local v=${RESULT[$BACKEND.$2]:-n/a} target
    case "$BACKEND" in sqlite) target=$5 ;; *) target=$6 ;; esac
    if [ -n "$target" ]; then line+=" $v $3 ($(verdict "$v" "$4" "$target")) |"; else line+=" $v $3 |"; fi
  done
  echo "$line $7 |"
}
# Each page's throughput as a share of the floor's, in per cent.
for BACKEND in $BACKENDS; do
  for key in floor dpo dpo8 officer page; do
    RESULT[$BACKEND.${key}_share]=$(awk -v p="${RESULT[$BACKEND.${key}_rps]:-}" -v f="${RESULT[$BACKEND.floor_rps]:-}" \
      'BEGIN { if (p == "" || f == "" || f + 0 == 0) print "n/a"; else printf "%.0f", 100 * p / f }')
  done
done
lag_target=$(( tick_seconds + 1 ))
{
  echo "# Performance"
  echo
  echo "Generated by \`bash benches/load/run.sh\` on $(date -u +"%Y-%m-%d %H:%M UTC"); do not edit by hand."
  echo
  echo "- Commit: \`$(git rev-parse --short HEAD)\`$(git diff --quiet HEAD -- src migrations templates Cargo.toml || echo ' (with uncommitted changes)')"
  echo "- Machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr)"
  echo "- PostgreSQL: $(psql "$PG_ADMIN_URL" -Atc 'SHOW server_version' 2>/dev/null || echo n/a) on the same machine; SQLite bundled in the binary by libsqlite3-sys $(awk '/^name = "libsqlite3-sys"/ {getline; gsub(/"/, "", $3); print $3}' Cargo.lock)"
  echo "- Build profile \`$PROFILE\`; wrk with $THREADS threads for $DURATION per scenario, $LATENCY_CONNECTIONS connections for pages and $CONNECTIONS for writes; the server's log at \`warn\`, mail $MAIL_WAY; PostgreSQL without TLS."
  echo "- Data per backend: $CLIENTS clients, $INCIDENTS incidents (${RESULT[${BACKENDS%% *}.running]} with running clocks), ${RESULT[${BACKENDS%% *}.audit]} audit events after seeding, $PLANNED planned alerts for the ticks."
  echo
  echo "## Targets"
  echo
  printf "| measure |"; for BACKEND in $BACKENDS; do printf " %s |" "$BACKEND"; done; echo " target |"
  printf "|---|"; for _ in $BACKENDS; do printf -- "---|"; done; echo "---|"
  row "DPO dashboard, one connection per core: requests/s" dpo_rps /s ">=" 5000 2500 "≥ 5,000 /s on SQLite, ≥ 2,500 /s on PostgreSQL"
  row "DPO dashboard, one connection per core: p99" dpo_p99 ms "<=" 3 5 "≤ 3 ms on SQLite, ≤ 5 ms on PostgreSQL"
  row "DPO dashboard, one connection per core: share of the floor's throughput" dpo_share % ">=" 40 40 "≥ 40 %"
  row "officer dashboard p99 (100 rows per section)" officer_p99 ms "<=" 10 10 "≤ 10 ms"
  row "incident page: requests/s" page_rps /s ">=" 5000 "" "≥ 5,000 /s on SQLite"
  row "reports per second (\`POST /api/v1/incidents\`, $CLIENTS clients)" report_rps /s ">=" 1500 2000 "≥ 1,500 /s on SQLite, ≥ 2,000 /s on PostgreSQL"
  row "the reports' P0 mails: p99 of sent − due" mail_p99 s "<=" $lag_target $lag_target "≤ $lag_target s (the alert-lag target)"
  row "tick with $DUE due alerts ($(( DUE * 4 )) mails; median of $TICK_ROUNDS)" tick_ms ms "<=" 200 200 "≤ 200 ms"
  row "alert lag p99 while serving (fired − due)" lag_p99 s "<=" $lag_target $lag_target "≤ tick + 1 s ($lag_target s)"
  row "server RSS under load (VmHWM)" rss_mb MB "<=" 64 64 "≤ 64 MB"
  echo
  echo "The floor is \`examples/floor.rs\`: the same stack (actix-web, askama, diesel through an r2d2 pool) serving the 50 newest incidents of the DPO's client from the same database, with no session, authorisation or texts; it is measured like the DPO dashboard, one connection per core. A target left blank for a backend is for information there."
  echo
  echo "## All figures"
  echo
  printf "| scenario |"; for BACKEND in $BACKENDS; do printf " %s p50 / p99 ms | %s req/s | %s ratio to floor | %s non-2xx |" "$BACKEND" "$BACKEND" "$BACKEND" "$BACKEND"; done; echo
  printf "|---|"; for _ in $BACKENDS; do printf -- "---|---|---|---|"; done; echo
  for scenario in "floor:floor (\`examples/floor.rs\`, 50 newest incidents of one client)" \
    "dpo:DPO dashboard (\`GET /\`, one client)" "dpo8:DPO dashboard, $CONNECTIONS connections (saturated: information)" "officer:officer dashboard (\`GET /\`, all clients)" \
    "page:incident page (\`GET /incidents/{id}\`)" "events:\`POST /api/v1/incidents/{id}/events\` (assess)" \
    "report:\`POST /api/v1/incidents\`" "report1:\`POST /api/v1/incidents\`, every report for one client (information)"; do
    key=${scenario%%:*}
    printf "| %s |" "${scenario#*:}"
    for BACKEND in $BACKENDS; do
      share=${RESULT[$BACKEND.${key}_share]:-–}
      case "$share" in [0-9]*) share="$share %" ;; esac
      printf " %s / %s | %s | %s | %s |" "${RESULT[$BACKEND.${key}_p50]}" "${RESULT[$BACKEND.${key}_p99]}" \
        "${RESULT[$BACKEND.${key}_rps]}" "$share" "${RESULT[$BACKEND.${key}_bad]}"
    done
    echo
  done
  echo
  for BACKEND in $BACKENDS; do
    echo "- $BACKEND: seeding took ${RESULT[$BACKEND.seed_s]} s; each of $TICK_ROUNDS ticks mailed ${RESULT[$BACKEND.tick_sent]} alerts as ${RESULT[$BACKEND.tick_mails]} mails, in ${RESULT[$BACKEND.tick_each]} ms, and the outbox then sent each tick's mails $MAIL_WAY in ${RESULT[$BACKEND.drain_each]} ms (${RESULT[$BACKEND.drain_rate]} mails a second, the median, with nothing else running); ${RESULT[$BACKEND.lag_n]} alerts fired while serving (lag p50 ${RESULT[$BACKEND.lag_p50]} s, max ${RESULT[$BACKEND.lag_max]} s, scheduler tick every $tick_seconds s); ${RESULT[$BACKEND.mail_n]} P0 mails of the reports (sent − due p50 ${RESULT[$BACKEND.mail_p50]} s; ${RESULT[$BACKEND.mail_unsent]} not sent within $MAIL_WAIT s of the last report); ${RESULT[$BACKEND.reported]} incidents at the end; each report cost ${RESULT[$BACKEND.report_cpu_server]} ms of the server's CPU, ${RESULT[$BACKEND.report_cpu_db]} ms of PostgreSQL's and ${RESULT[$BACKEND.report_cpu_rest]} ms elsewhere (wrk, the kernel, the mail sink) while they were taken, so the machine's $(nproc) cores take at most ${RESULT[$BACKEND.report_cpu_ceiling]} reports a second at that cost; \`art33 audit verify\` passed. Pages were measured once the server had fired and mailed what the seed left due (${RESULT[$BACKEND.settle_backlog]} left); the ticks were timed after the server stopped."
  done
  echo
  if [ -f benches/load/NOTES.md ]; then cat benches/load/NOTES.md; fi
} > "$OUT"
step "wrote $OUT"
cat "$OUT"
