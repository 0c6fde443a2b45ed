# Shared settings of the cluster scripts; sourced, not run.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
spark_version="${SPARKPROP_SPARK_VERSION:-4.2.0}"
if [[ "$spark_version" == 4.2.0 ]]; then
  export SPARK_HOME="${SPARKPROP_SPARK_HOME:-$root/target/spark-home}"
else
  export SPARK_HOME="${SPARKPROP_SPARK_HOME:-$root/target/spark-home-$spark_version}"
fi
# Without it Spark's launcher looks for build directories and every executor launch fails.
export SPARK_SCALA_VERSION=2.13
# Everything binds to loopback: RPC, block managers, web UIs.
export SPARK_LOCAL_IP=127.0.0.1
export SPARK_LOCAL_HOSTNAME=127.0.0.1
state="${SPARKPROP_CLUSTER_DIR:-$root/target/cluster}"
master_port="${SPARKPROP_MASTER_PORT:-7077}"
master_ui_port="${SPARKPROP_MASTER_UI_PORT:-8080}"
master_url="spark://127.0.0.1:$master_port"

# The JVM flags Spark needs on Java 17, written by the build from the pom's one list.
java_options() {
  local file="$root/target/launcher/java-options"
  if [[ ! -f "$file" ]]; then
    (cd "$root" && mvn -B -q -DskipTests package) >&2
  fi
  cat "$file"
}

spark_classpath() {
  echo "$SPARK_HOME/conf/:$SPARK_HOME/jars/*"
}
