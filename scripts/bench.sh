#!/usr/bin/env bash
# The side-by-side benchmark: sparkprop against Spark MLlib's MultilayerPerceptronClassifier in one
# JVM, local[2], on MNIST. Writes target/bench/results.md and target/bench/pass-time.svg.
#
#   scripts/bench.sh [--repeats N] [--passes N] [--skip-convergence] [--torch PYTHON]
#                                           with a Python that imports torch (--torch, or
#                                           TORCH_PYTHON; default python3), PyTorch on the same
#                                           cores too (src/bench/python/torch_reference.py)
#   scripts/bench.sh --load [--repeats N]   load-and-cache time and cached bytes, IDX vs LIBSVM vs
#                                           Parquet (target/bench/load.md)
#   scripts/bench.sh --sparse [--passes N]  50,000 sparse binary features against dense MNIST:
#                                           cached bytes a nonzero, gd pass time, the ratio; then
#                                           50,000 to 2^20 features, partition side beside each
#                                           width's memory floor (target/bench/sparse.md)
#
# MLlib comes in only through the Maven profile "bench" (test scope); the product jar and the
# launcher classpath never see it. BENCH_JAVA_OPTS sets the heap (default -Xmx6g).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/fetch-mnist.sh
# Compiles src/bench/java and writes target/bench/classpath and target/launcher/java-options.
mvn -B -q -Pbench -DskipTests prepare-package

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# With a native OpenBLAS, one thread per call: Spark already runs one task per core.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
main=io.sparkprop.bench.Bench
[[ "${1:-}" == --load ]] && main=io.sparkprop.bench.LoadBench
[[ "${1:-}" == --sparse ]] && main=io.sparkprop.bench.SparseBench
# shellcheck disable=SC2046
exec java ${BENCH_JAVA_OPTS:--Xmx6g} $(cat target/launcher/java-options) \
  -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
  -cp "target/test-classes:target/classes:$(cat target/bench/classpath)" \
  "$main" "$@"
