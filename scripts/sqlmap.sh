#!/usr/bin/env bash
# SQL injection scan: Debian's sqlmap against a real `hearth serve` on loopback (never anything
# else). Starts the server on a free port with a fresh data folder (SQLite; or the PostgreSQL
# database in DATABASE_URL, a throwaway one is created and dropped), seeds a member, a community,
# a thread and a comment, then points sqlmap at every parameter of the routes that reach SQL
# with user text: query strings, path segments (marked *) and JSON bodies.
#
#   scripts/sqlmap.sh [--level 2] [--risk 1]      (apt-get install -y sqlmap first)
#
# Exit 0 when sqlmap finds no injectable parameter, 1 when it does; the log is in
# $OUT/sqlmap.log (OUT defaults to .ci-out/sqlmap). Takes ~5-15 minutes at level 2.
set -euo pipefail
cd "$(dirname "$0")/.."
LEVEL=2
RISK=1
while [ $# -gt 0 ]; do
  case "$1" in
    --level) LEVEL="$2"; shift 2 ;;
    --risk) RISK="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v sqlmap >/dev/null || { echo "sqlmap is missing: apt-get install -y sqlmap" >&2; exit 2; }
OUT="${OUT:-.ci-out/sqlmap}"
rm -rf "$OUT" && mkdir -p "$OUT"
DATA="$(mktemp -d)"
PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
BASE="http://127.0.0.1:$PORT/api/v1"
DBMS=SQLite
PGDB=""
if [ -n "${DATABASE_URL:-}" ]; then
  DBMS=PostgreSQL
  PGDB="hearth_sqlmap_$$"
  psql "$DATABASE_URL" -qc "create database $PGDB" >/dev/null
  export DATABASE_URL="${DATABASE_URL%/*}/$PGDB"
fi
cleanup() {
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$DATA"
  if [ -n "$PGDB" ]; then psql "${DATABASE_URL%/*}/postgres" -qc "drop database if exists $PGDB with (force)" >/dev/null || true; fi
}
trap cleanup EXIT
HEARTH_DATA_DIR="$DATA" HEARTH_LOG_LEVEL=warn HEARTH_RATE_LIMIT_AUTH=100000000 HEARTH_RATE_LIMIT_WRITES=100000000 \
  HEARTH_AUTOMOD=false node packages/server/bin/hearth.js serve --no-demo --port "$PORT" >"$OUT/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do curl -fs "$BASE/health" >/dev/null 2>&1 && break; sleep 0.5; done

# Seed through the API.
JAR="$DATA/cookies"
curl -fs -c "$JAR" -H 'content-type: application/json' \
  -d '{"username":"sqlmapper","email":"s@example.test","password":"long enough password"}' "$BASE/auth/signup" >/dev/null
CSRF="$(awk '$6=="hearth_csrf"{print $7}' "$JAR")"
TOKEN="$(curl -fs -b "$JAR" -H "x-csrf-token: $CSRF" -H 'content-type: application/json' -d '{"name":"sqlmap"}' \
  "$BASE/me/tokens" | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')"
AUTH="Authorization: Bearer $TOKEN"
api() { curl -fs -H "$AUTH" -H 'content-type: application/json' "$@"; }
api -d '{"slug":"target","name":"Target","description":"injection scan"}' "$BASE/communities" >/dev/null
THREAD="$(api -d '{"title":"Injectable?","body":"hello #tagged @sqlmapper"}' "$BASE/communities/target/threads" | node -pe 'JSON.parse(require("fs").readFileSync(0)).id')"
COMMENT="$(api -d '{"body":"a comment"}' "$BASE/threads/$THREAD/comments" | node -pe 'JSON.parse(require("fs").readFileSync(0)).id')"

COMMON=(--batch --dbms="$DBMS" --level="$LEVEL" --risk="$RISK" --technique=BEUST --time-sec=2
  --threads=2 --flush-session --disable-coloring --output-dir="$OUT/sessions" -H "$AUTH"
  --ignore-code=400,401,403,404,409,422)
TARGETS=(
  "-u|$BASE/search?q=hello&type=threads"
  "-u|$BASE/search?q=target&type=communities"
  "-u|$BASE/communities/target/threads?sort=hot&tag=tagged&period=week"
  "-u|$BASE/communities/target*/threads"
  "-u|$BASE/communities/target*"
  "-u|$BASE/communities/target/members?limit=10"
  "-u|$BASE/threads/$THREAD/comments?limit=10"
  "-u|$BASE/users/sqlmapper*"
  "-u|$BASE/feed?limit=10"
  "-u|$BASE/discover/communities?limit=5"
  "json|$BASE/auth/login|{\"login\":\"sqlmapper\",\"password\":\"long enough password\"}"
  "json|$BASE/threads/$THREAD/comments|{\"body\":\"probe\",\"parentId\":$COMMENT}"
  "json|$BASE/communities/target/threads|{\"title\":\"probe\",\"body\":\"probe\",\"tags\":[\"probe\"]}"
  "json|$BASE/threads/$THREAD/reactions|{\"kind\":\"like\"}"
)
LOG="$OUT/sqlmap.log"
: >"$LOG"
for t in "${TARGETS[@]}"; do
  IFS='|' read -r kind url body <<<"$t"
  echo "== $url" | tee -a "$LOG"
  if [ "$kind" = json ]; then
    sqlmap "${COMMON[@]}" -u "$url" --data="$body" -H 'Content-Type: application/json' >>"$LOG" 2>&1 || true
  else
    sqlmap "${COMMON[@]}" -u "$url" >>"$LOG" 2>&1 || true
  fi
done
grep -E "do not appear to be injectable|identified the following injection point|is vulnerable|false positive|CRITICAL" "$LOG" | sort | uniq -c || true
# The server must still be healthy and must not have logged an unhandled error.
curl -fs "$BASE/health" >/dev/null || { echo "server unhealthy after the scan" >&2; exit 1; }
if grep -q '"msg":"unhandled error"' "$OUT/server.log"; then echo "the server logged unhandled errors (see $OUT/server.log)" >&2; fi
if grep -Eq "identified the following injection point|is vulnerable" "$LOG"; then
  echo "sqlmap found an injectable parameter: see $LOG" >&2
  exit 1
fi
echo "sqlmap: no injectable parameter in ${#TARGETS[@]} targets (level $LEVEL, risk $RISK, $DBMS)"
