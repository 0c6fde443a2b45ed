#!/usr/bin/env bash
# Stops the cluster started by start.sh: Workers first, then the Master. Each recorded process
# group (the daemon with its executors and drivers) gets TERM, up to 15 s to exit, then KILL.
# Touches no process it did not start.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

group_alive() {
  kill -0 -- "-$1" 2>/dev/null
}

stop_group() {
  local name="$1" pidfile="$state/$1.pid"
  [[ -f "$pidfile" ]] || return 0
  local pid
  pid="$(cat "$pidfile")"
  if group_alive "$pid"; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do
      group_alive "$pid" || break
      sleep 0.5
    done
    if group_alive "$pid"; then
      echo "cluster: $name (group $pid) did not exit on TERM; killing" >&2
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
  echo "cluster: stopped $name" >&2
}

stop_group worker2
stop_group worker1
stop_group master
