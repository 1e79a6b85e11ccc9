#!/usr/bin/env bash
# images/deps.sh: host bootstrap for probedrill (make deps).
#
#   images/deps.sh          install what is missing, then ensure the engine
#   images/deps.sh engine   only ensure a Docker engine answers (start it if not)
#
# Idempotent, and a no-op on a host that already works. The host has no
# systemd, so dockerd is started in the background with its log in
# /var/log/probedrill-dockerd.log. Starting a stopped kind node again after
# an engine restart is internal/cluster's job, not this script's.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=images/lib.sh disable=SC1091
source "$HERE/lib.sh"

# Debian packages the build and the clusters need on the host.
# chromium renders the HTML report in its unit test (internal/report);
# `make lint` (in `make test`) runs shellcheck on the scripts.
PACKAGES=(docker.io jq debootstrap pigz chromium shellcheck)

WRAPPER=/usr/local/sbin/probedrill-runc
DAEMON_JSON=/etc/docker/daemon.json
DOCKERD_LOG=/var/log/probedrill-dockerd.log
# How long dockerd gets to answer after a start.
ENGINE_START_TIMEOUT=60

missing_packages() {
  local installed
  installed=$(dpkg-query -W -f '${Package} ${Status}\n' "${PACKAGES[@]}" 2>/dev/null |
    awk '$4 == "installed" {print $1}') || true
  local p
  for p in "${PACKAGES[@]}"; do
    grep -qx "$p" <<<"$installed" || echo "$p"
  done
}

install_packages() {
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

ensure_packages() {
  local missing
  mapfile -t missing < <(missing_packages)
  if ((${#missing[@]} == 0)); then
    status '✓' "Packages present (${PACKAGES[*]})"
    return
  fi
  step deps-apt "Installing ${missing[*]}" install_packages "${missing[@]}"
}

# The VM's capability bounding set may lack CAP_SYS_RESOURCE (bit 24); then
# runc cannot give a privileged container (a kind node) its capabilities.
needs_runc_wrapper() {
  local capbnd
  capbnd=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
  (((0x$capbnd >> 24 & 1) == 0))
}

# runc_wrapper prints the wrapper: it removes CAP_SYS_RESOURCE from the
# bundle's config.json (runc create/run) and from the --process file (runc
# exec, which docker exec and so kind use), then runs the real runc.
runc_wrapper() {
  cat <<'EOF'
#!/bin/bash
# Installed by probedrill images/deps.sh: this host's capability bounding set
# lacks CAP_SYS_RESOURCE, so strip it from what runc is asked to grant.
set -euo pipefail
strip_caps() {
  local file=$1 path=$2
  [[ -f $file ]] && grep -q CAP_SYS_RESOURCE "$file" || return 0
  jq -c "$path |= (if . == null then . else with_entries(.value |= (if type == \"array\" then map(select(. != \"CAP_SYS_RESOURCE\")) else . end)) end)" \
    "$file" >"$file.probedrill" && mv "$file.probedrill" "$file"
}
cmd="" bundle="." process=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  a=${args[i]}
  case $a in
    --bundle|-b) bundle=${args[i+1]:-.} ;;
    --bundle=*) bundle=${a#*=} ;;
    --process|-p) process=${args[i+1]:-} ;;
    --process=*) process=${a#*=} ;;
    create|run|exec) [[ -z $cmd ]] && cmd=$a ;;
  esac
done
case $cmd in
  create|run) strip_caps "$bundle/config.json" .process.capabilities ;;
  exec) [[ -n $process ]] && strip_caps "$process" .capabilities ;;
esac
exec /usr/sbin/runc "$@"
EOF
}

ensure_runc_wrapper() {
  if ! needs_runc_wrapper; then
    status '✓' 'runc wrapper not needed (CapBnd has CAP_SYS_RESOURCE)'
    return
  fi
  if [[ -x $WRAPPER ]] && cmp -s "$WRAPPER" <(runc_wrapper); then
    status '✓' "runc wrapper present ($WRAPPER)"
    return
  fi
  runc_wrapper >"$WRAPPER.tmp" && chmod 0755 "$WRAPPER.tmp" && mv "$WRAPPER.tmp" "$WRAPPER"
  status '✓' "runc wrapper installed ($WRAPPER strips CAP_SYS_RESOURCE)"
}

# wanted_daemon_json prints daemon.json merged with the wrapper as the
# default runtime, keeping every other setting.
wanted_daemon_json() {
  local current='{}'
  [[ -s $DAEMON_JSON ]] && current=$(cat "$DAEMON_JSON")
  jq --arg path "$WRAPPER" \
    '.runtimes["probedrill-runc"] = {path: $path} | ."default-runtime" = "probedrill-runc"' <<<"$current"
}

# ensure_daemon_json returns 0 when it changed the file.
ensure_daemon_json() {
  needs_runc_wrapper || return 1
  local wanted
  wanted=$(wanted_daemon_json)
  if [[ -s $DAEMON_JSON ]] && jq -e --argjson w "$wanted" '. == $w' "$DAEMON_JSON" >/dev/null; then
    return 1
  fi
  mkdir -p "$(dirname "$DAEMON_JSON")"
  printf '%s\n' "$wanted" >"$DAEMON_JSON.tmp" && mv "$DAEMON_JSON.tmp" "$DAEMON_JSON"
  status '✓' "$DAEMON_JSON: default runtime probedrill-runc"
  return 0
}

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

dockerd_pid() {
  local pid
  pid=$(cat /var/run/docker.pid 2>/dev/null) || return 1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && printf '%s' "$pid"
}

start_dockerd() {
  rm -f /var/run/docker.pid
  # setsid: the engine outlives the make or shell that started it.
  setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
  local deadline=$((SECONDS + ENGINE_START_TIMEOUT))
  until engine_answers; do
    if ((SECONDS > deadline)); then
      echo "dockerd did not answer within ${ENGINE_START_TIMEOUT}s; last lines of $DOCKERD_LOG:"
      tail -n 20 "$DOCKERD_LOG"
      return 1
    fi
    sleep 0.5
  done
}

# ensure_engine makes `docker info` answer: it reloads a running dockerd
# whose daemon.json changed, and starts one that is missing or dead.
ensure_engine() {
  local changed=1 pid
  ensure_daemon_json && changed=0
  if engine_answers; then
    if ((changed == 0)) && pid=$(dockerd_pid); then
      kill -HUP "$pid" # runtimes and default-runtime are live-reloadable
      status '✓' 'Docker engine reloaded its configuration'
      return
    fi
    status '✓' 'Docker engine answering'
    return
  fi
  if pid=$(dockerd_pid); then
    # Alive but not answering: give it a moment before declaring it dead.
    sleep 5
    if engine_answers; then
      status '✓' 'Docker engine answering'
      return
    fi
    kill "$pid" 2>/dev/null || true
    sleep 2
  fi
  step dockerd "Starting Docker engine (log: $DOCKERD_LOG)" start_dockerd
}

main() {
  if (($(id -u) != 0)); then fail "run as root (installs packages, starts dockerd)"; fi
  case ${1:-all} in
    all)
      ensure_packages
      ensure_runc_wrapper
      ensure_engine
      ;;
    engine)
      ensure_runc_wrapper
      ensure_engine
      ;;
    *) fail "usage: $0 [all|engine]" ;;
  esac
}

step_dispatch "$@"
main "$@"
