#!/usr/bin/env bash
# Writes a large LIBSVM data set for load tests: MNIST's 60,000 training images and COPIES − 1
# noisy copies of them, one part file (about 90 MB) per copy, under OUT_DIR.
#
#   scripts/generate-data.sh OUT_DIR COPIES      e.g. target/large 28  (about 2.5 GB)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ $# -ne 2 ]]; then
  echo "usage: scripts/generate-data.sh OUT_DIR COPIES" >&2
  exit 2
fi
scripts/fetch-mnist.sh
mvn -B -q -Pbench -DskipTests prepare-package
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench/classpath)" \
  io.sparkprop.bench.GenerateData data/mnist "$1" "$2"
