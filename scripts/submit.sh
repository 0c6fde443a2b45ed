#!/usr/bin/env bash
# Submits sparkprop to any Spark master (spark://…, yarn, k8s://…, local[*]):
#
#   scripts/submit.sh [spark-submit options] -- <train|evaluate|predict|convert|inspect|export> [options]
#
# e.g. scripts/submit.sh --master spark://127.0.0.1:7077 --deploy-mode cluster -- train --config …
# Uses $SPARK_HOME/bin/spark-submit when SPARK_HOME is a Spark installation; otherwise the
# project's own: org.apache.spark.deploy.SparkSubmit over the Spark jars of target/spark-home
# (built from Maven Central by scripts/cluster/spark-home.sh). SPARKPROP_SUBMIT_JAVA_OPTS sets
# that JVM's options (default -Xmx2g); it is the driver in client deploy mode.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$root/target/sparkprop-0.1.0.jar"

spark_args=()
while [[ $# -gt 0 && "$1" != "--" ]]; do
  spark_args+=("$1")
  shift
done
if [[ $# -eq 0 ]]; then
  echo "usage: scripts/submit.sh [spark-submit options] -- <train|evaluate|predict|convert|inspect|export> [options]" >&2
  exit 2
fi
shift

if [[ ! -f "$jar" || -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]]; then
  (cd "$root" && mvn -B -q -DskipTests package) >&2
fi

if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
  exec "$SPARK_HOME/bin/spark-submit" "${spark_args[@]}" --class io.sparkprop.cli.Main "$jar" "$@"
fi

source "$here/cluster/common.sh"
"$here/cluster/spark-home.sh"
read -r -a jvm <<< "$(java_options)"
read -r -a opts <<< "${SPARKPROP_SUBMIT_JAVA_OPTS:--Xmx2g}"
exec java "${jvm[@]}" "${opts[@]}" -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
  -cp "$(spark_classpath)" org.apache.spark.deploy.SparkSubmit \
  "${spark_args[@]}" --class io.sparkprop.cli.Main "$jar" "$@"
