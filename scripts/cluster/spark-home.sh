#!/usr/bin/env bash
# Builds a Spark 4.1.0 home from Maven Central jars: $SPARK_HOME/jars (and an empty conf/).
# Idempotent. No Spark download or installation is needed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

pom="$root/scripts/cluster/spark-home.pom.xml"
if [[ -f "$SPARK_HOME/jars/.complete" && ! "$pom" -nt "$SPARK_HOME/jars/.complete" ]]; then
  exit 0
fi
rm -rf "$SPARK_HOME/jars"
mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/conf"
echo "spark-home: copying Spark 4.1.0 jars into $SPARK_HOME/jars" >&2
mvn -B -q -f "$pom" dependency:copy-dependencies \
  -DoutputDirectory="$SPARK_HOME/jars" -DincludeScope=runtime >&2
touch "$SPARK_HOME/jars/.complete"
