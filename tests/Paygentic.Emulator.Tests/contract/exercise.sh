#!/usr/bin/env bash
# Drives every emulator operation (success and error paths) against $PAYGENTIC_BASE_URL, for use under the
# spec-validating proxy:
#   bash /work/shared/tools/contract-proxy.sh --upstream http://127.0.0.1:PORT -- bash tests/Paygentic.Emulator.Tests/contract/exercise.sh [all|newer]
#   all (default): every operation, legacy v0 included, for the 2026-04-18 contract.
#   newer: only the operations 2026-08-06 still has (customers, subscriptions, portal, events, v1 entitlements), plus
#          requests only that file accepts (an event with externalSubject alone, entitlements by externalCustomerId);
#          run it under --spec paygentic-2026-08-06.contract.json.
# Requests are kept valid against the contract, so every violation reported is the emulator's.
set -euo pipefail
mode=${1:-all}
[[ $mode == all || $mode == newer ]] || { echo "exercise: unknown mode '$mode' (all or newer)" >&2; exit 2; }
legacy() { [[ $mode == all ]]; }
newer() { [[ $mode == newer ]]; }
base=${PAYGENTIC_BASE_URL:?PAYGENTIC_BASE_URL is required}
key=${PAYGENTIC_API_KEY:-sk_test_emulator}
other=${PAYGENTIC_OTHER_KEY:-sk_test_other}
run=$(date +%s%N)
last_status=""

resp=$(mktemp)
trap 'rm -f "$resp"' EXIT
# call METHOD PATH [BODY] [KEY] -> body in $resp, status in $last_status
call() {
  local method=$1 path=$2 body=${3:-} auth=${4:-$key}
  if [[ -n $body ]]; then
    last_status=$(curl -sS -o "$resp" -w '%{http_code}' -X "$method" "$base$path" -H "Authorization: Bearer $auth" -H 'Content-Type: application/json' -d "$body")
  else
    last_status=$(curl -sS -o "$resp" -w '%{http_code}' -X "$method" "$base$path" -H "Authorization: Bearer $auth")
  fi
}
expect() { [[ $last_status == "$1" ]] || { echo "expected $1, got $last_status: $2" >&2; exit 1; }; }
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[2])); print(eval('d'+sys.argv[1]))" "$1" "$resp"; }

email="jane.$run@example.com"
call POST /v0/customers "{\"merchantId\":\"org_demo\",\"externalId\":\"ext$run\",\"consumer\":{\"name\":\"Jane Doe\",\"email\":\"$email\",\"address\":{\"country\":\"US\",\"state\":\"CA\",\"zipCode\":\"94105\"}}}"; expect 201 create-customer
cus=$(field '["customerId"]')
call POST /v0/customers "{\"merchantId\":\"org_demo\",\"consumer\":{\"name\":\"Jane Doe\",\"email\":\"$email\",\"address\":{\"country\":\"US\"}}}"; expect 200 existing-customer
call POST /v0/customers "{\"merchantId\":\"org_demo\",\"externalId\":\"ext$run\",\"consumer\":{\"name\":\"Joe\",\"email\":\"joe.$run@example.com\",\"address\":{}}}"; expect 409 external-id
call POST /v0/customers "{\"merchantId\":\"org_other\",\"consumer\":{\"name\":\"Joe\",\"email\":\"joe.$run@example.com\",\"address\":{}}}"; expect 403 other-merchant-create
call GET "/v0/customers/$cus"; expect 200 get-customer
call GET "/v0/customers/$cus" "" "$other"; expect 403 get-customer-other
call GET /v0/customers/cus_doesnotexist; expect 404 get-customer-missing
call GET "/v0/customers?organizationId=org_demo&limit=2&offset=0&email=example.com"; expect 200 list-customers
call GET "/v0/customers?organizationId=org_other"; expect 403 list-customers-other
call GET /v0/customers/cus_x "" "sk_wrong"; expect 401 wrong-key
call PATCH "/v0/customers/$cus" '{"taxId":"GB123456789","taxRates":8.5,"notificationSettings":{"invoicePaid":false}}'; expect 200 update-customer
call POST /v0/customers "{\"merchantId\":\"org_demo\",\"consumer\":{\"name\":\"Spare\",\"email\":\"spare.$run@example.com\",\"address\":{\"country\":\"GB\",\"zipCode\":\"N1\"}}}"; expect 201 spare; spare=$(field '["customerId"]')
call DELETE "/v0/customers/$spare"; expect 204 delete-customer

call POST /v0/subscriptions "{\"name\":\"Jane prepaid\",\"planId\":\"plan_legacy\",\"customerId\":\"$cus\",\"startedAt\":\"2026-01-01T00:00:00Z\",\"prefundAmount\":\"10.00\"}"; expect 201 create-subscription
sid=$(field '["id"]'); checkout=$(field '["payment"]["checkoutUrl"]')
call DELETE "/v0/customers/$cus"; expect 409 delete-blocked
call POST /v0/subscriptions "{\"name\":\"Jane prepaid\",\"planId\":\"plan_legacy\",\"customerId\":\"$cus\",\"startedAt\":\"2026-01-01T00:00:00Z\",\"prefundAmount\":\"10.00\"}"; expect 200 same-subscription
call POST /v0/subscriptions "{\"name\":\"x\",\"planId\":\"plan_nothere\",\"customerId\":\"$cus\",\"startedAt\":\"2026-01-01T00:00:00Z\"}"; expect 404 unknown-plan
call POST /v0/subscriptions "{\"name\":\"x\",\"planId\":\"plan_otherlegacy\",\"customerId\":\"$cus\",\"startedAt\":\"2026-01-01T00:00:00Z\"}"; expect 403 other-plan
# usage before payment: no active subscription
if legacy; then
  call POST /v0/usage "{\"customerId\":\"$cus\",\"merchantId\":\"org_demo\",\"idempotencyKey\":\"early$run\",\"timestamp\":\"2026-01-02T00:00:00Z\",\"properties\":[{\"billableMetricId\":\"bm_basicsub\",\"quantity\":1}]}"; expect 400 no-subscription
fi
curl -sS -o /dev/null -X POST "$checkout"   # the checkout page pays it (not a Paygentic path)
call GET "/v0/subscriptions/$sid"; expect 200 get-subscription
call GET "/v0/subscriptions/$sid" "" "$other"; expect 403 get-subscription-other
call GET /v0/subscriptions/sub_missing; expect 404 get-subscription-missing
call GET "/v0/subscriptions?customerId=$cus&limit=5&offset=0&include=customer"; expect 200 list-subscriptions
call POST "/v0/subscriptions/$sid/portal" '{"expiresIn":"PT30M"}'; expect 200 portal
call POST "/v0/subscriptions/$sid/portal"; expect 200 portal-no-body
call POST /v0/subscriptions/sub_missing/portal; expect 404 portal-missing
call POST /v0/subscriptions "{\"name\":\"Jane standard\",\"planId\":\"plan_standard\",\"customerId\":\"$cus\",\"startedAt\":\"2026-01-01T00:00:00Z\",\"paymentTermDays\":0,\"metadata\":{\"team\":\"it's ours\",\"seats\":3,\"trial\":false}}"; expect 201 standard-subscription; std=$(field '["id"]')
call POST "/v0/subscriptions/$sid/portal" '{"expiresIn":"P8D"}'; expect 400 portal-too-long
# (a malformed expiresIn is refused by the proxy itself, against the spec's pattern; the emulator's tests cover it)

if legacy; then
call POST /v0/entitlements "{\"customerId\":\"$cus\",\"merchantId\":\"org_demo\",\"entitlementData\":[{\"billableMetricId\":\"bm_basicsub\",\"quantity\":1},{\"billableMetricId\":\"bm_exectime\",\"quantity\":1500.5}],\"maxUses\":2}"; expect 201 reserve
com=$(field '["id"]')
call POST /v0/entitlements "{\"customerId\":\"$cus\",\"merchantId\":\"org_demo\",\"entitlementData\":[{\"billableMetricId\":\"bm_premiumsub\",\"quantity\":100000}]}"; expect 400 reserve-insufficient
call POST /v0/entitlements "{\"customerId\":\"cus_nobody\",\"merchantId\":\"org_demo\",\"entitlementData\":[{\"billableMetricId\":\"bm_basicsub\",\"quantity\":1}]}"; expect 400 reserve-unknown-customer
call POST /v0/entitlements "{\"customerId\":\"$cus\",\"merchantId\":\"org_demo\",\"entitlementData\":[{\"billableMetricId\":\"bm_basicsub\",\"quantity\":1}]}" "$other"; expect 403 reserve-other
call GET "/v0/entitlements/activeEntitlements?customerId=$cus"; expect 200 active-entitlements

usage="{\"customerId\":\"$cus\",\"merchantId\":\"org_demo\",\"idempotencyKey\":\"u1$run\",\"timestamp\":\"2026-01-02T00:00:00Z\",\"entitlementId\":\"$com\",\"properties\":[{\"billableMetricId\":\"bm_basicsub\",\"quantity\":1},{\"billableMetricId\":\"bm_exectime\",\"quantity\":1200}],\"metadata\":{\"language\":\"python\"}}"
call POST /v0/usage "$usage"; expect 201 usage; usg=$(field '["id"]')
call POST /v0/usage "$usage"; expect 201 usage-replay
call POST /v0/usage "{\"customerId\":\"$cus\",\"merchantId\":\"org_demo\",\"idempotencyKey\":\"big$run\",\"timestamp\":\"2026-01-02T00:00:00Z\",\"properties\":[{\"billableMetricId\":\"bm_premiumsub\",\"quantity\":100000}]}"; expect 400 usage-insufficient
call POST /v0/usage "{\"customerId\":\"$cus\",\"merchantId\":\"org_demo\",\"idempotencyKey\":\"p$run\",\"timestamp\":\"2026-01-02T00:00:00Z\",\"properties\":[{\"billableMetricId\":\"bm_basicsub\",\"quantity\":2,\"price\":\"0.02\"}]}"; expect 201 usage-price
call POST /v0/usage "{\"customerId\":\"$cus\",\"merchantId\":\"org_demo\",\"idempotencyKey\":\"o$run\",\"timestamp\":\"2026-01-02T00:00:00Z\",\"properties\":[{\"billableMetricId\":\"bm_basicsub\",\"quantity\":1}]}" "$other"; expect 403 usage-other
call POST /v0/usage/batch "{\"events\":[{\"customerId\":\"$cus\",\"merchantId\":\"org_demo\",\"idempotencyKey\":\"b1$run\",\"timestamp\":\"2026-01-02T00:00:00Z\",\"properties\":[{\"billableMetricId\":\"bm_basicsub\",\"quantity\":1}]}]}"; expect 201 batch-ok
call POST /v0/usage/batch "{\"events\":[{\"customerId\":\"$cus\",\"merchantId\":\"org_demo\",\"idempotencyKey\":\"b2$run\",\"timestamp\":\"2026-01-02T00:00:00Z\",\"properties\":[{\"billableMetricId\":\"bm_basicsub\",\"quantity\":1}]},{\"customerId\":\"cus_nobody\",\"merchantId\":\"org_demo\",\"idempotencyKey\":\"b3$run\",\"timestamp\":\"2026-01-02T00:00:00Z\",\"properties\":[{\"billableMetricId\":\"bm_basicsub\",\"quantity\":1}]}]}"; expect 207 batch-partial
call GET "/v0/usage/$usg"; expect 200 get-usage
call GET /v0/usage/usg_missing; expect 404 get-usage-missing
call GET "/v0/usage/$usg" "" "$other"; expect 403 get-usage-other
call GET "/v0/usage?startTime=2026-01-01T00:00:00Z&endTime=2026-02-01T00:00:00Z&customerId=$cus&limit=2&offset=1"; expect 200 list-usage
call GET "/v0/usage?startTime=2026-01-01T00:00:00Z&endTime=2026-02-01T00:00:00Z"; expect 400 list-usage-no-filter
call PATCH "/v0/usage/$usg" '{"refunded":true,"reason":"Customer request"}'; expect 200 refund
call PATCH "/v0/usage/$usg" '{"refunded":true}'; expect 422 refund-again
fi

call POST /v0/events "{\"type\":\"code.submission\",\"source\":\"https://coderunner.example\",\"subject\":\"$cus\",\"idempotencyKey\":\"e1$run\",\"data\":{\"language\":\"python\"}}"; expect 202 event
call POST /v0/events "{\"type\":\"code.submission\",\"source\":\"https://coderunner.example\",\"subject\":\"$cus\",\"idempotencyKey\":\"e1$run\",\"data\":{}}"; expect 202 event-dedupe
# subject and externalSubject together are valid under both files (subject wins); externalSubject alone only under the newer one
call POST /v0/events "{\"type\":\"code.submission\",\"source\":\"https://coderunner.example\",\"subject\":\"$cus\",\"externalSubject\":\"ext$run\",\"externalId\":\"x1$run\",\"idempotencyKey\":\"e2$run\",\"data\":{}}"; expect 202 event-external
if newer; then
  call POST /v0/events "{\"type\":\"code.submission\",\"source\":\"https://coderunner.example\",\"externalSubject\":\"ext$run\",\"data\":{}}"; expect 202 event-external-only
  call POST /v0/events "{\"type\":\"code.submission\",\"source\":\"https://coderunner.example\",\"externalSubject\":\"nobody$run\",\"data\":{}}"; expect 202 event-external-unresolved
  call GET "/v1/entitlements?externalCustomerId=ext$run&merchantId=org_demo"; expect 200 v1-list-external
  call GET "/v1/entitlements?externalCustomerId=ext$run&customerId=$cus"; expect 400 v1-list-both-ids
fi
call POST /v0/events "{\"type\":\"nope.nothing\",\"source\":\"https://coderunner.example\",\"subject\":\"$cus\",\"data\":{}}"; expect 422 event-type
call GET "/v1/entitlements?customerId=$cus&featureKey=submissions&productId=prod_codeexec"; expect 200 v1-list
ent=$(field '["data"][0]["entitlementId"]')
call GET "/v1/entitlements/$ent"; expect 200 v1-get
call GET "/v1/entitlements/$ent?at=2030-01-01T00:00:00Z"; expect 200 v1-get-at
call GET "/v1/entitlements/$ent" "" "$other"; expect 403 v1-get-other
call GET /v1/entitlements/ent_missing; expect 404 v1-get-missing
call GET "/v1/entitlements?customerId=$cus&featureKey=submissions"; expect 400 v1-list-no-product
call POST /v1/entitlements "{\"customerId\":\"$cus\",\"featureId\":\"feat_submissions\",\"template\":{\"type\":\"metered\",\"usagePeriod\":{\"interval\":\"P1M\"}}}"; expect 409 v1-issue-conflict
call POST /v0/customers "{\"merchantId\":\"org_demo\",\"consumer\":{\"name\":\"Bob\",\"email\":\"bob.$run@example.com\",\"address\":{\"country\":\"DE\",\"zipCode\":\"10115\"}}}"; expect 201 bob; bob=$(field '["customerId"]')
call POST /v1/entitlements "{\"customerId\":\"$bob\",\"featureId\":\"feat_submissions\",\"template\":{\"type\":\"metered\",\"usagePeriod\":{\"interval\":\"P1M\"},\"issueAfterReset\":5}}"; expect 201 v1-issue
call POST /v1/entitlements "{\"customerId\":\"$bob\",\"featureId\":\"feat_nothing\",\"template\":{\"type\":\"boolean\"}}"; expect 404 v1-issue-unknown-feature

call POST "/v0/subscriptions/$std/termination" '{"reason":"Customer requested cancellation"}'; expect 200 terminate
call POST "/v0/subscriptions/$std/termination" '{"reason":"again"}'; expect 409 terminate-again
echo "exercise: all expected statuses seen"
