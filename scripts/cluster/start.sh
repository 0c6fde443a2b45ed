#!/usr/bin/env bash
# Starts a Spark standalone cluster on 127.0.0.1: one Master and two Workers, each its own
# JVM and process group, with PIDs, logs and work directories under target/cluster/. Idempotent:
# starts only what is not running, so it also restarts a lost Worker. Waits until the Master
# sees both Workers alive.
#
# Environment: SPARKPROP_MASTER_PORT (7077), SPARKPROP_MASTER_UI_PORT (8080; Workers use the next
# two), SPARKPROP_WORKER_MEMORY (2g), SPARKPROP_CLUSTER_OPTS (extra -D settings for the Master and
# Workers, e.g. "-Dspark.authenticate=true -Dspark.authenticate.secret=…", or spark.ssl.* for TLS).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$root/scripts/cluster/spark-home.sh"
mkdir -p "$state/logs"
read -r -a jvm <<< "$(java_options)"
read -r -a extra <<< "${SPARKPROP_CLUSTER_OPTS:-}"

running() {
  local pidfile="$state/$1.pid"
  [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

launch() {
  local name="$1"
  shift
  # setsid: the daemon leads its own process group, which its executors and drivers join, so
  # stop.sh can end exactly the processes this script started.
  setsid java "${jvm[@]}" "${extra[@]}" -Xmx512m -cp "$(spark_classpath)" "$@" \
    > "$state/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$state/$name.pid"
  echo "cluster: started $name (pid $!)" >&2
}

if ! running master; then
  # The REST submission server cannot be combined with spark.authenticate; deploy-mode cluster
  # submits use the RPC endpoint on the master port instead.
  launch master -Dspark.master.rest.enabled=false org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$master_port" --webui-port "$master_ui_port"
fi
for i in 1 2; do
  if ! running "worker$i"; then
    mkdir -p "$state/worker$i"
    launch "worker$i" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --webui-port "$((master_ui_port + i))" --cores 2 \
      --memory "${SPARKPROP_WORKER_MEMORY:-2g}" --work-dir "$state/worker$i" "$master_url"
  fi
done

for _ in $(seq 1 120); do
  for name in master worker1 worker2; do
    if ! running "$name"; then
      echo "cluster: $name exited during start-up; the end of $state/logs/$name.log:" >&2
      grep -v '^\s*at ' "$state/logs/$name.log" | tail -n 5 >&2
      exit 1
    fi
  done
  # -L -k: with spark.ssl.enabled the UI redirects to its HTTPS port, under the cluster's own
  # certificate; this poll only counts workers on loopback.
  alive="$(curl -s -L -k "http://127.0.0.1:$master_ui_port/json/" | grep -o '"aliveworkers" *: *[0-9]*' | grep -o '[0-9]*$' || true)"
  if [[ "$alive" == 2 ]]; then
    echo "cluster: $master_url ready with 2 workers (UI http://127.0.0.1:$master_ui_port)" >&2
    exit 0
  fi
  sleep 0.5
done
echo "cluster: the Master did not report 2 alive workers within 60 s; logs in $state/logs" >&2
exit 1
