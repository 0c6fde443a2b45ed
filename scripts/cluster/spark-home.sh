#!/usr/bin/env bash
# Builds a Spark home from Maven Central jars: $SPARK_HOME/jars (and an empty conf/).
# SPARKPROP_SPARK_VERSION picks the release (default 4.2.0, the one sparkprop builds against).
# Idempotent. No Spark download or installation is needed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

pom="$root/scripts/cluster/spark-home.pom.xml"
stamp="$SPARK_HOME/jars/.complete-$spark_version"
if [[ -f "$stamp" && ! "$pom" -nt "$stamp" ]]; then
  exit 0
fi
rm -rf "$SPARK_HOME/jars"
mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/conf"
echo "spark-home: copying Spark $spark_version jars into $SPARK_HOME/jars" >&2
mvn -B -q -f "$pom" dependency:copy-dependencies -Dspark.version="$spark_version" \
  -DoutputDirectory="$SPARK_HOME/jars" -DincludeScope=runtime >&2
touch "$stamp"
