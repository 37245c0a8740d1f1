#!/usr/bin/env bash
# CodeRunner.Server against the standalone emulator behind the contract proxy (run by .ci/contract-check, which sets
# PAYGENTIC_BASE_URL): in both billing modes, the demo account, a sign-up and its checkout, submissions with wait, a
# batch with a bad item, a delete, the account and the billing portal. The server is stopped by its PID (SIGTERM, so
# the guard flushes its reports through the proxy). Needs the server built in $CONFIGURATION (default Release).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dll="$root/samples/CodeRunner.Server/bin/${CONFIGURATION:-Release}/net10.0/CodeRunner.Server.dll"
[[ -f $dll ]] || { echo "coderunner-server flow: $dll is missing (build first)" >&2; exit 2; }
: "${PAYGENTIC_BASE_URL:?run this under contract-proxy.sh, which sets PAYGENTIC_BASE_URL}"
export PAYGENTIC_API_KEY=${PAYGENTIC_API_KEY:-sk_test_emulator} PAYGENTIC_MERCHANT_ID=${PAYGENTIC_MERCHANT_ID:-org_demo}

pid="" data="" log=""
stop() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  pid=""
  [[ -n $data ]] && rm -rf "$data"
  [[ -n $log ]] && rm -f "$log"
}
trap stop EXIT

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }
expect() { [[ $1 == "$2" ]] || { echo "coderunner-server flow: expected $2, got $1 ($3)" >&2; cat "$log" >&2; exit 1; }; }

flow() {
  local mode=$1 email="contract-$1-$$@example.com"
  data=$(mktemp -d -t coderunner-contract-XXXXXX) log=$(mktemp -t coderunner-contract-XXXXXX.log)
  timeout 300 dotnet "$dll" --billing "$mode" --data "$data" --workers 2 --urls http://127.0.0.1:0 >"$log" 2>&1 &
  pid=$!
  local url=""
  for _ in $(seq 1 300); do
    url=$(grep -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$log" | head -1 | sed 's/listening on //') || true
    [[ -n $url ]] && grep -q 'Demo token' "$log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "coderunner-server flow: the server exited" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n $url ]] || { cat "$log" >&2; exit 1; }
  local demo; demo=$(grep -oE 'crk_[0-9a-f]{64}' "$log" | head -1)
  echo "coderunner-server flow ($mode): $url"

  local signup token checkout
  signup=$(curl -sf -X POST "$url/accounts" -H 'Content-Type: application/json' -d "{\"name\":\"Contract\",\"email\":\"$email\"}")
  token=$(json "d['api_token']" <<<"$signup"); checkout=$(json "d['checkout_url']" <<<"$signup")
  [[ $checkout != None ]] && curl -sf -X POST "$checkout" -o /dev/null
  local h=(-H "X-Auth-Token: $token" -H 'Content-Type: application/json')

  local result
  result=$(curl -sf -X POST "$url/submissions?base64_encoded=false&wait=true&fields=status_id,stdout" "${h[@]}" -d '{"language_id":71,"source_code":"print(6*7)"}')
  expect "$(json "d['status_id']" <<<"$result")" 3 "python submission"
  result=$(curl -sf -X POST "$url/submissions?base64_encoded=false&wait=true&fields=status_id" -H "X-Auth-Token: $demo" -H 'Content-Type: application/json' -d '{"language_id":50,"source_code":"int main( {"}')
  expect "$(json "d['status_id']" <<<"$result")" 6 "C compile error (premium tier)"
  result=$(curl -s -X POST "$url/submissions/batch?base64_encoded=false" "${h[@]}" -d '{"submissions":[{"language_id":46,"source_code":"echo hi"},{"language_id":9999,"source_code":"x"},{"language_id":71,"source_code":"print(1)"}]}')
  local first; first=$(json "d[0]['token']" <<<"$result")
  local third; third=$(json "d[2]['token']" <<<"$result")
  curl -s -X DELETE "$url/submissions/$third" "${h[@]}" -o /dev/null || true # deleted if still queued, else 400
  for _ in $(seq 1 200); do
    result=$(curl -sf "$url/submissions/batch?tokens=$first&fields=status_id" "${h[@]}")
    [[ $(json "d['submissions'][0]['status_id']" <<<"$result") -ge 3 ]] && break
    sleep 0.1
  done
  expect "$(json "d['submissions'][0]['status_id']" <<<"$result")" 3 "batch item"
  curl -sf "$url/account" "${h[@]}" -o /dev/null
  expect "$(curl -s -o /dev/null -w '%{http_code}' "$url/billing-portal" "${h[@]}")" 302 "billing portal"
  stop
}

# With `newer` (the 2026-08-06 contract, which no longer describes legacy prepaid billing): standard billing only.
if [[ ${1:-} == newer ]]; then
  flow standard
else
  flow legacy
  flow standard
fi
echo "coderunner-server flow: ok"
