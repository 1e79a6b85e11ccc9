# shellcheck shell=bash
# images/lib.sh: step and cache helpers shared by images/deps.sh and
# images/build.sh. Sourced, never run.
#
# Progress goes to stderr, one line per step, in kind's style (off a
# terminal, a "•" line with the step's log when it starts, too):
#    • Building kubernetes v1.37.2 ... (log: ~/.cache/probedrill/logs/kube.log)
#    ✓ Building kubernetes v1.37.2 (7m12s)
#    ✗ Building kubernetes v1.37.2 (0m41s)   + the last log lines and the log's path
# Full logs of every step go to $PROBEDRILL_CACHE/logs/<name>.log.

PROBEDRILL_CACHE=${PROBEDRILL_CACHE:-$HOME/.cache/probedrill}
LOG_DIR=$PROBEDRILL_CACHE/logs
ARTEFACTS=$PROBEDRILL_CACHE/artefacts

# How many log lines a failed step shows.
FAIL_TAIL_LINES=25

# duration SECONDS prints 7m12s / 41s / 0s.
duration() {
  local s=$1
  if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}

# status MARK TITLE [NOTE] prints one finished step line.
status() {
  local mark=$1 title=$2 note=${3:-}
  if [[ -t 2 ]]; then printf '\r\033[K' >&2; fi
  printf ' %s %s%s\n' "$mark" "$title" "${note:+ ($note)}" >&2
}

# step NAME TITLE CMD... runs CMD with its output in $LOG_DIR/NAME.log and
# prints one ✓/✗ line with the time it took. On failure it shows the
# command's last log lines and returns CMD's status.
#
# CMD runs in a fresh process of the calling script ($0 __run CMD...): bash
# ignores `set -e` inside a function called from a conditional (`step ... ||`),
# and a build step must stop at its first failing command.
step() {
  local name=$1 title=$2
  shift 2
  local log=$LOG_DIR/$name.log start=$SECONDS rc=0
  mkdir -p "$LOG_DIR"
  # On a terminal the ✓ line overwrites this one; in a log (CI, make demo
  # piped) a step may run for 20 minutes, so say what started and where its
  # output goes.
  if [[ -t 2 ]]; then
    printf ' • %s ...' "$title" >&2
  else
    printf ' • %s ... (log: %s)\n' "$title" "$log" >&2
  fi
  { printf '# %s\n# %s\n' "$(date -u +%FT%TZ)" "$*"; } >"$log"
  "$BASH" "$0" __run "$@" >>"$log" 2>&1 </dev/null || rc=$?
  if ((rc == 0)); then
    status '✓' "$title" "$(duration $((SECONDS - start)))"
    return 0
  fi
  status '✗' "$title" "$(duration $((SECONDS - start)))"
  {
    tail -n "$FAIL_TAIL_LINES" "$log" | sed 's/^/     | /'
    printf '     full log: %s\n' "$log"
  } >&2
  return "$rc"
}

# step_dispatch ARGS runs a step when the script was re-invoked for one
# (see step) and exits; call it at top level before main.
step_dispatch() {
  if [[ ${1:-} == __run ]]; then
    shift
    "$@"
    exit 0
  fi
}

# fail MESSAGE prints an error line and exits.
fail() {
  printf ' ✗ %s\n' "$*" >&2
  exit 1
}

# input_hash ITEM... prints a short sha256 over the items: a file or
# directory contributes its path and contents (directories recursively, in a
# stable order), anything else its text. Used as the cache key of a step.
input_hash() {
  local item
  for item in "$@"; do
    if [[ -d $item ]]; then
      (cd "$item" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum)
    elif [[ -f $item ]]; then
      printf '%s ' "${item##*/}"
      sha256sum <"$item"
    else
      printf '%s\n' "$item"
    fi
  done | sha256sum | cut -c1-16
}

# cached NAME HASH TITLE BUILD_FN [ARGS...] makes sure the artefact directory
# $ARTEFACTS/NAME/HASH exists: when it does, it prints "(cached)"; otherwise
# it runs BUILD_FN OUT_DIR ARGS... as a step into a fresh directory, which
# becomes the artefact only when the build succeeds. Older hashes of NAME
# are removed. The directory's path is left in $ARTEFACT.
cached() {
  local name=$1 hash=$2 title=$3 fn=$4
  shift 4
  ARTEFACT=$ARTEFACTS/$name/$hash
  if [[ -f $ARTEFACT/.done ]]; then
    status '✓' "$title" cached
    return 0
  fi
  local tmp=$ARTEFACTS/$name/.tmp-$hash
  rm -rf "$tmp" && mkdir -p "$tmp"
  step "$name" "$title" "$fn" "$tmp" "$@" || return
  find "$ARTEFACTS/$name" -mindepth 1 -maxdepth 1 ! -name ".tmp-$hash" -exec rm -rf {} +
  touch "$tmp/.done"
  mv "$tmp" "$ARTEFACT"
}

# artefact NAME HASH prints the path of a finished artefact.
artefact() { printf '%s/%s/%s' "$ARTEFACTS" "$1" "$2"; }
