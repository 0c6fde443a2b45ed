#!/usr/bin/env bash
# Trains the MNIST demo in local mode: fetches MNIST if needed, builds the jar if needed, then
# runs conf/mnist.properties. Extra options are passed on (e.g. --epochs 2, --master local[2]).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/fetch-mnist.sh
exec scripts/sparkprop train --config conf/mnist.properties "$@"
