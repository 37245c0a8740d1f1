#!/usr/bin/env bash
# The CodeRunner sample against a standalone emulator, for the contract check: run it under
# ../shared/tools/contract-proxy.sh (which sets PAYGENTIC_BASE_URL to the proxy), e.g. from .ci/contract-flows.d.
# Both billing modes, a small subset each, bounded in time. Needs the sample built in $CONFIGURATION (default Release).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dll="$here/bin/${CONFIGURATION:-Release}/net10.0/CodeRunner.dll"
[[ -f $dll ]] || { echo "coderunner contract flow: $dll is missing (build first)" >&2; exit 2; }
: "${PAYGENTIC_BASE_URL:?run this under contract-proxy.sh, which sets PAYGENTIC_BASE_URL}"
export PAYGENTIC_API_KEY=${PAYGENTIC_API_KEY:-sk_test_emulator} PAYGENTIC_MERCHANT_ID=${PAYGENTIC_MERCHANT_ID:-org_demo}
# `newer`: the 2026-08-06 contract has no legacy v0 operations, so only the standard-billing run applies there.
if [[ ${1:-} != newer ]]; then
  timeout 120 dotnet "$dll" --only python-hello,c-compile-error,hostile-infinite-loop
fi
timeout 120 dotnet "$dll" --billing standard --only python-hello,c-compile-error
