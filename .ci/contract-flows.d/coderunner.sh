#!/usr/bin/env bash
# The CodeRunner sample, both billing modes, against the standalone emulator behind the contract proxy
# (with the argument `newer`: standard billing only, the one the 2026-08-06 contract still describes).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
exec bash "$root/samples/CodeRunner/contract-flow.sh" "$@"
