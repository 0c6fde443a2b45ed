#!/usr/bin/env bash
# Writes a large LIBSVM data set for load tests: MNIST's 60,000 training images and COPIES − 1
# noisy copies of them, one part file (about 90 MB) per copy, under OUT_DIR.
#
#   scripts/generate-data.sh OUT_DIR COPIES      e.g. target/large 28  (about 2.5 GB)
#
# or hashed sparse data: EXAMPLES lines of NONZEROS distinct binary features among FEATURES, in
# PARTS part files (default 2), seeded; the class is learnable from the features.
#
#   scripts/generate-data.sh --sparse OUT_DIR EXAMPLES FEATURES NONZEROS [PARTS]
#                                                e.g. --sparse target/hashed 200000 1048576 40 4
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ "${1:-}" == --sparse ]]; then
  shift
  if [[ $# -lt 4 || $# -gt 5 ]]; then
    echo "usage: scripts/generate-data.sh --sparse OUT_DIR EXAMPLES FEATURES NONZEROS [PARTS]" >&2
    exit 2
  fi
  mvn -B -q -Pbench -DskipTests prepare-package
  exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench/classpath)" \
    io.sparkprop.bench.GenerateSparse "$@"
fi
if [[ $# -ne 2 ]]; then
  echo "usage: scripts/generate-data.sh OUT_DIR COPIES" >&2
  echo "       scripts/generate-data.sh --sparse OUT_DIR EXAMPLES FEATURES NONZEROS [PARTS]" >&2
  exit 2
fi
scripts/fetch-mnist.sh
mvn -B -q -Pbench -DskipTests prepare-package
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench/classpath)" \
  io.sparkprop.bench.GenerateData data/mnist "$1" "$2"
