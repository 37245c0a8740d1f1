#!/usr/bin/env bash
# The CodeRunner sample, both billing modes, against the standalone emulator behind the contract proxy.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
exec bash "$root/samples/CodeRunner/contract-flow.sh"
