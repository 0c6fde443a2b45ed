#!/usr/bin/env bash
# Submits sparkprop to any Spark master (spark://…, yarn, k8s://…, local[*]):
#
#   scripts/submit.sh [spark-submit options] -- <train|evaluate|predict|convert|inspect|export> [options]
#
# e.g. scripts/submit.sh --master spark://127.0.0.1:7077 --deploy-mode cluster -- train --config …
# Uses $SPARK_HOME/bin/spark-submit when SPARK_HOME is a Spark installation; otherwise the
# project's own: org.apache.spark.deploy.SparkSubmit over the Spark jars of target/spark-home
# (built from Maven Central by scripts/cluster/spark-home.sh), started by Spark's own launcher
# library as bin/spark-submit starts it: in client deploy mode that JVM is the driver, and its heap
# is --driver-memory, else spark.driver.memory, else SPARK_DRIVER_MEMORY (default here 2g, Spark's
# own 1g); --driver-java-options and SPARK_SUBMIT_OPTS add JVM options.
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
export SPARK_DRIVER_MEMORY="${SPARK_DRIVER_MEMORY:-2g}"
SPARK_SUBMIT_OPTS="$(java_options) -Dlog4j2.configurationFile=$root/conf/log4j2.properties ${SPARK_SUBMIT_OPTS:-}"
export SPARK_SUBMIT_OPTS

# Spark's launcher prints its messages line by line, then a line holding only NUL, then the command
# with each argument ended by NUL; its own exit code is appended here as one more argument.
launch() {
  java -Xmx128m -cp "$(spark_classpath)" org.apache.spark.launcher.Main \
    org.apache.spark.deploy.SparkSubmit "${spark_args[@]}" --class io.sparkprop.cli.Main "$jar" "$@"
  printf '%d\0' $?
}
command=()
delimiter=$'\n'
while IFS= read -r -d "$delimiter" part; do
  if [[ "$delimiter" == '' ]]; then
    command+=("$part")
  elif [[ -z "$part" ]]; then
    delimiter=''
  else
    echo "$part"
  fi
done < <(launch "$@")
if [[ ${#command[@]} -eq 0 ]]; then
  exit 1
fi
code="${command[-1]}"
unset 'command[-1]'
if [[ "$code" != 0 ]]; then
  [[ "$code" =~ ^[0-9]+$ ]] || code=1
  exit "$code"
fi
exec "${command[@]}"
