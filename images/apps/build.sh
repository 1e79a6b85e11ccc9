#!/usr/bin/env bash
# images/apps/build.sh: images of real services, for tests that run a team's
# own app under probes, built from Debian packages (no container registry):
#
#   probedrill/nginx:<nginx's Debian version>        nginx -g 'daemon off;' as PID 1, port 80
#   probedrill/postgres:<postgresql-15's version>    pg-start: initdb on first start, then postgres as PID 1
#   probedrill/redis:<redis-server's version>        redis-server as PID 1 (uid 999), port 6379, no persistence
#   probedrill/web:<nginx's Debian version>          probedrill/nginx plus redis-cli (from redis-tools): a web
#                                                    app whose probes exec `redis-cli -h redis ping`
#   probedrill/injector:<busybox-static's version>   static busybox (sh, sleep, nsenter, cat, kill) idling as
#                                                    PID 1: a privileged hostPID pod runs
#                                                    `nsenter -t 1 -m -u -i -n -p -- CMD` on its node
#
# also tagged probedrill/nginx:bookworm, probedrill/postgres:15-bookworm,
# probedrill/redis:bookworm, probedrill/web:bookworm and
# probedrill/injector:bookworm, the names examples/ use.
#
# (a version's characters a Docker tag cannot hold become "-":
# 15.20-0+deb12u1 -> 15.20-0-deb12u1, 5:7.0.15-1~deb12u10 -> 5-7.0.15-1-deb12u10).
# The stable tags go to _out/apps/images.env (NGINX_IMAGE=...,
# POSTGRES_IMAGE=..., REDIS_IMAGE=..., WEB_IMAGE=..., INJECTOR_IMAGE=...) for
# the Go tests, and to stdout.
#
# How: apt resolves each image's package closure against a private copy of
# the Debian lists (the mirror images/build.sh uses, plus -updates and
# -security), the .debs are unpacked into a throwaway tree, and only the
# packages' own files plus the shared libraries their ELF files load (as the
# tree's ld.so resolves them) are copied into the image's root, which
# `docker import` turns into a one-layer image.
#
# Cached like images/build.sh: an image is rebuilt only when the hash of its
# inputs (this script's functions it uses, its package names, their
# candidate versions and the identity of the package lists) differs from the
# one it was built from, or its tag no longer names the image built then.
# The package lists are fetched once ($PROBEDRILL_CACHE/apps/apt) and
# refreshed only when APPS_APT_UPDATE=1 (or a download fails), so an
# unchanged rerun neither downloads nor rebuilds anything.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IMAGES=${HERE%/*}
# shellcheck source=images/lib.sh disable=SC1091
source "$IMAGES/lib.sh"
# shellcheck source=images/versions.sh disable=SC1091
source "$IMAGES/versions.sh"

APPS_ENV=${APPS_ENV:-${IMAGES%/*}/_out/apps/images.env}
APT_DIR=$PROBEDRILL_CACHE/apps/apt
DEBS=$PROBEDRILL_CACHE/apps/debs

PG_MAJOR=15
# Stable tags for the newest build of each (the versioned tags name the
# Debian version they were built from).
NGINX_STABLE=probedrill/nginx:bookworm
POSTGRES_STABLE=probedrill/postgres:$PG_MAJOR-bookworm
REDIS_STABLE=probedrill/redis:bookworm
WEB_STABLE=probedrill/web:bookworm
INJECTOR_STABLE=probedrill/injector:bookworm
# The packages whose files an image holds (the first names the tag). The
# rest of the closure apt resolves is only a source of shared libraries.
NGINX_PACKAGES=(nginx nginx-common)
POSTGRES_PACKAGES=("postgresql-$PG_MAJOR" "postgresql-client-$PG_MAJOR" tzdata)
# redis-server ships only the /usr/bin/redis-server link (and config);
# the server binary itself and redis-cli are in redis-tools.
REDIS_PACKAGES=(redis-server redis-tools)
# web: nginx's packages (whole, as in probedrill/nginx) plus the one file
# redis-cli from redis-tools (not its server binary or benchmark).
WEB_PACKAGES=(nginx nginx-common)
WEB_TOOLS=(redis-tools)
WEB_TOOL_FILES=(/usr/bin/redis-cli)
# injector: only the statically linked /bin/busybox (no libc, no ld.so)
# and links to the applets it needs; any other runs as `busybox APPLET`.
INJECTOR_PACKAGES=(busybox-static)
INJECTOR_APPLETS=(sh sleep nsenter cat kill)
# Single files pg-start needs: the shell (also /bin/sh, which initdb's popen
# uses), a few coreutils, setpriv to drop root, and glibc's C.UTF-8 locale
# with `locale` (initdb imports the system collations with `locale -a`).
POSTGRES_TOOLS=(dash coreutils util-linux libc-bin)
POSTGRES_TOOL_FILES=(/usr/bin/dash /usr/bin/id /usr/bin/mkdir /usr/bin/chown /usr/bin/chmod /usr/bin/rm
  /usr/bin/cat /usr/bin/ls /usr/bin/setpriv /usr/bin/locale /usr/lib/locale/C.utf8)
# Size budgets (docker image inspect .Size).
NGINX_MAX_BYTES=$((40 * 1000 * 1000))
POSTGRES_MAX_BYTES=$((120 * 1000 * 1000))
REDIS_MAX_BYTES=$((30 * 1000 * 1000))
WEB_MAX_BYTES=$((40 * 1000 * 1000))
INJECTOR_MAX_BYTES=$((5 * 1000 * 1000))
POSTGRES_UID=999
REDIS_UID=999

# Packages of a closure that are neither copied nor a source of a library
# any image file loads (apt pulls them in through PostgreSQL's JIT and
# packaging scripts): not downloaded or unpacked, which saves half the cold
# build. Should a file need one, its ld.so lookup fails the build.
NOT_LOADED='^(libllvm[0-9]+|libz3-[0-9]+|perl|perl-modules-[0-9.]+|libperl[0-9.]+|locales|libc-l10n)$'

# Files of the image packages never copied: docs, translations, init and
# packaging glue, PostgreSQL's JIT (it alone would pull in the 100 MB
# libllvm; the server runs with JIT unavailable) and its man pages.
EXCLUDE='^/usr/share/(doc|man|info|lintian|locale|bug|apport|vim|bash-completion)(/|$)'
EXCLUDE+='|^/usr/lib/systemd(/|$)|^/etc/(init\.d|default|logrotate\.d|ufw|cron\.d)(/|$)'
EXCLUDE+="|^/usr/lib/postgresql/$PG_MAJOR/lib/(bitcode|llvmjit)|^/usr/share/postgresql/$PG_MAJOR/man(/|$)"
EXCLUDE+='|^/usr/share/zoneinfo/right(/|$)'

# ---------------------------------------------------------------- apt

# debian_mirror prints the Debian mirror the host's apt sources use (as in
# images/build.sh; DEBIAN_MIRROR overrides).
debian_mirror() {
  if [[ -n ${DEBIAN_MIRROR:-} ]]; then
    echo "$DEBIAN_MIRROR"
    return
  fi
  host_apt_uris | grep -E '/debian/?$' | head -n1 || true
}

# debian_security_mirror: the same for debian-security
# (DEBIAN_SECURITY_MIRROR overrides; "none" leaves security updates out).
debian_security_mirror() {
  if [[ -n ${DEBIAN_SECURITY_MIRROR:-} ]]; then
    [[ $DEBIAN_SECURITY_MIRROR == none ]] || echo "$DEBIAN_SECURITY_MIRROR"
    return
  fi
  host_apt_uris | grep -E '/debian-security/?$' | head -n1 || true
}

host_apt_uris() {
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -oE '^(URIs:|deb)[[:space:]]+[^[:space:]]+' | awk '{print $2}'
}

# apt_sources prints the private sources.list.
apt_sources() {
  local mirror security key=/usr/share/keyrings/debian-archive-keyring.gpg
  mirror=$(debian_mirror)
  security=$(debian_security_mirror)
  [[ -n $mirror ]] || { echo "no Debian mirror in the apt sources; set DEBIAN_MIRROR" >&2; return 1; }
  [[ -f $key ]] || { echo "$key missing: apt-get install debian-archive-keyring" >&2; return 1; }
  printf 'deb [signed-by=%s] %s %s main\n' "$key" "$mirror" "$DEBIAN_SUITE" "$key" "$mirror" "$DEBIAN_SUITE-updates"
  if [[ -n $security ]]; then printf 'deb [signed-by=%s] %s %s-security main\n' "$key" "$security" "$DEBIAN_SUITE"; fi
}

# apt-get and apt-cache on the private lists, with an empty dpkg status: a
# resolution is the full closure, as for an empty root. The host's apt.conf.d
# (proxies) still applies.
APT_OPTS=(
  -o "Dir::State=$APT_DIR/state" -o "Dir::State::status=$APT_DIR/status"
  -o "Dir::Cache=$APT_DIR/cache" -o Dir::Cache::pkgcache=pkgcache.bin -o Dir::Cache::srcpkgcache=
  -o "Dir::Etc::SourceList=$APT_DIR/sources.list" -o "Dir::Etc::SourceParts=$APT_DIR/sources.list.d"
  -o "Dir::Etc::Preferences=$APT_DIR/preferences" -o "Dir::Etc::PreferencesParts=$APT_DIR/preferences.d"
  -o APT::Install-Recommends=false -o APT::Sandbox::User=root -o Debug::NoLocking=1
)
apt_get() { apt-get "${APT_OPTS[@]}" "$@"; }
apt_cache() { apt-cache "${APT_OPTS[@]}" "$@"; }

# apt_update fetches the package lists into $APT_DIR.
apt_update() {
  mkdir -p "$APT_DIR"/{state/lists/partial,cache/archives/partial,sources.list.d,preferences.d}
  : >"$APT_DIR/status"
  apt_sources >"$APT_DIR/sources.list"
  cat "$APT_DIR/sources.list"
  apt_get update --error-on=any
}

# lists_id prints a short hash of the fetched Release files: it changes
# whenever any package version in the lists can.
lists_id() { cat "$APT_DIR"/state/lists/*Release 2>/dev/null | sha256sum | cut -c1-16; }

ensure_lists() {
  local want
  want=$(apt_sources) || fail "cannot write the apt sources"
  if [[ ${APPS_APT_UPDATE:-} == 1 ]] || ! compgen -G "$APT_DIR/state/lists/*Release" >/dev/null ||
    [[ $(cat "$APT_DIR/sources.list" 2>/dev/null) != "$want" ]]; then
    step apps-apt "Fetching Debian $DEBIAN_SUITE package lists (apps)" apt_update || exit 1
  fi
}

# candidate_version PKG prints the version apt would install.
candidate_version() {
  apt_cache policy "$1" | awk '$1 == "Candidate:" && $2 != "(none)" { print $2; exit }'
}

# tag_version VERSION makes a Debian version a valid Docker tag.
tag_version() {
  local v=${1//[^A-Za-z0-9_.-]/-}
  printf '%s' "${v:0:128}"
}

# fetch_closure OUT PKG... resolves PKG... and everything they depend on,
# downloads the .debs missing in $DEBS and writes "package version deb" lines
# to OUT. Stale lists (a version gone from the mirror) are refreshed once.
fetch_closure() {
  local out=$1
  shift
  if ! fetch_closure_once "$out" "$@"; then
    echo "download failed: refreshing the package lists and resolving again"
    apt_update
    fetch_closure_once "$out" "$@"
  fi
  echo "$(wc -l <"$out") packages"
}

fetch_closure_once() {
  local out=$1 pkg ver f
  shift
  local -a want=() missing=()
  mkdir -p "$DEBS"
  mapfile -t want < <(apt_get -s install "$@" | awk -v skip="$NOT_LOADED" '
    $1 == "Inst" && $2 !~ skip { v = $3; sub(/^\(/, "", v); print $2 "=" v }')
  ((${#want[@]} > 0)) || { echo "apt resolved nothing for $*"; return 1; }
  for pkg in "${want[@]}"; do
    deb_file "${pkg%%=*}" "${pkg#*=}" >/dev/null || missing+=("$pkg")
  done
  if ((${#missing[@]} > 0)); then
    echo "downloading ${#missing[@]} of ${#want[@]} packages"
    (cd "$DEBS" && apt_get download "${missing[@]}") || return 1
  fi
  : >"$out"
  for pkg in "${want[@]}"; do
    ver=${pkg#*=} pkg=${pkg%%=*}
    f=$(deb_file "$pkg" "$ver") || { echo "not downloaded: $pkg $ver"; return 1; }
    printf '%s %s %s\n' "$pkg" "$ver" "$f" >>"$out"
    # Older versions of the package go.
    find "$DEBS" -maxdepth 1 -name "${pkg}_*.deb" ! -name "${f##*/}" -delete
  done
}

# deb_file PKG VERSION prints the path of the downloaded .deb (apt names it
# pkg_version_arch.deb, an epoch's colon as %3a).
deb_file() {
  local f
  for f in "$DEBS/${1}_${2//:/%3a}_"*.deb; do
    [[ -f $f ]] && { printf '%s' "$f"; return 0; }
  done
  return 1
}

# ---------------------------------------------------------------- rootfs

# stage_debs DIR CLOSURE unpacks every .deb of CLOSURE into DIR, a merged-/usr
# tree like an installed Debian (no maintainer scripts run).
stage_debs() {
  local stage=$1 closure=$2 pkg ver deb
  merged_usr "$stage"
  while read -r pkg ver deb; do
    dpkg-deb --fsys-tarfile "$deb" | tar -C "$stage" -x --keep-directory-symlink
  done <"$closure"
}

merged_usr() {
  local d
  mkdir -p "$1"/usr/{bin,sbin,lib,lib64}
  for d in bin sbin lib lib64; do ln -sfn "usr/$d" "$1/$d"; done
}

# usr_path PATH sets USR_PATH to PATH as it is in a merged-/usr tree (no
# subshell: it runs once per file).
usr_path() {
  case $1 in
    /bin | /sbin | /lib | /lib64 | /bin/* | /sbin/* | /lib/* | /lib64/*) USR_PATH=/usr$1 ;;
    *) USR_PATH=$1 ;;
  esac
}

# package_files CLOSURE PKG... prints the paths (files, links, directories)
# the packages PKG... ship, less $EXCLUDE.
package_files() {
  local closure=$1 pkg p deb
  shift
  for pkg in "$@"; do
    deb=$(awk -v p="$pkg" '$1 == p { print $3 }' "$closure")
    [[ -n $deb ]] || { echo "$pkg is not in the closure" >&2; return 1; }
    dpkg-deb --fsys-tarfile "$deb" | tar -t | sed -e 's|^\.||' -e 's|/$||' | grep -v '^$' |
      while read -r p; do usr_path "$p" && printf '%s\n' "$USR_PATH"; done
  done | grep -Ev "$EXCLUDE" | LC_ALL=C sort -u
}

is_elf() {
  local magic=
  [[ -f $1 && ! -L $1 ]] && LC_ALL=C read -r -N4 magic <"$1" 2>/dev/null
  [[ $magic == $'\x7fELF' ]]
}

# elf_closure STAGE reads paths and prints the shared libraries (and the
# dynamic loader) the ELF files among them load, as STAGE's own ld.so
# resolves them there. A library that is not found fails the build.
elf_closure() {
  local stage=$1 p ldso out
  ldso=$(cd "$stage" && compgen -G 'usr/lib64/ld-linux*.so.*' || compgen -G 'usr/lib/ld-linux*.so.*') ||
    { echo "no ld.so in $stage" >&2; return 1; }
  while read -r p; do
    case $p in */bin/* | */sbin/* | */lib/* | */lib64/* | *.so | *.so.*) ;; *) continue ;; esac
    is_elf "$stage$p" || continue
    out=$(chroot "$stage" "/$ldso" --list "$p" 2>&1) || { echo "$p: $out" >&2; return 1; }
    if grep -q 'not found' <<<"$out"; then
      echo "$p: $out" >&2
      return 1
    fi
    awk '$2 == "=>" && $3 ~ /^\// { print $3; next } $1 ~ /^\// { print $1 }' <<<"$out"
  done | LC_ALL=C sort -u
}

# with_link_targets STAGE reads paths and prints them and whatever their
# symbolic links point to inside STAGE (merged-/usr paths), so copying the
# list keeps links working. Paths missing in STAGE are dropped.
with_link_targets() {
  local stage=$1 p t n
  local -A link=()
  while IFS=$'\t' read -r p t; do link[${p#"$stage"}]=$t; done < <(find "$stage" -type l -printf '%p\t%l\n')
  while read -r p; do
    for ((n = 0; n < 16; n++)); do
      usr_path "$p"
      p=$USR_PATH
      [[ -n ${link[$p]+set} || -e $stage$p ]] || break
      printf '%s\n' "$p"
      [[ -n ${link[$p]+set} ]] || break
      t=${link[$p]}
      [[ $t == /* ]] || t=${p%/*}/$t
      clean_path "$t"
      p=$CLEAN_PATH
    done
  done | LC_ALL=C sort -u
}

# clean_path PATH sets CLEAN_PATH to the absolute PATH without "." and ".."
# (lexically, as realpath -m -s).
clean_path() {
  local part IFS=/
  local -a parts kept=()
  read -ra parts <<<"$1"
  for part in "${parts[@]}"; do
    case $part in
      '' | .) ;;
      ..) if ((${#kept[@]} > 0)); then unset 'kept[-1]'; fi ;;
      *) kept+=("$part") ;;
    esac
  done
  CLEAN_PATH=/${kept[*]}
}

# copy_closure STAGE ROOT reads the paths an image needs and copies them,
# their shared libraries and link targets from STAGE into ROOT.
copy_closure() {
  local stage=$1 root=$2 list
  list=$(mktemp -d)
  cat >"$list/paths"
  elf_closure "$stage" <"$list/paths" >"$list/libs"
  echo "$(wc -l <"$list/paths") paths, $(wc -l <"$list/libs") shared libraries"
  cat "$list/paths" "$list/libs" | with_link_targets "$stage" | grep -vx / | sed 's|^/|./|' >"$list/all"
  tar -C "$stage" --no-recursion -cf - -T "$list/all" | tar -C "$root" -x --keep-directory-symlink
  rm -rf "$list"
}

# base_rootfs ROOT PASSWD_LINE GROUP_LINE: the directories, users and links
# every image has.
base_rootfs() {
  local r=$1
  merged_usr "$r"
  mkdir -p "$r"/{etc,run,tmp,var/tmp,var/log,root,usr/local/bin}
  chmod 1777 "$r/tmp" "$r/var/tmp"
  chmod 0700 "$r/root"
  ln -sfn ../run "$r/var/run"
  printf 'root:x:0:0:root:/root:/bin/sh\n%s\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' "$2" >"$r/etc/passwd"
  printf 'root:x:0:\n%s\nnogroup:x:65534:\n' "$3" >"$r/etc/group"
  printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n' >"$r/etc/nsswitch.conf"
}

# import_image ROOT OUT TAG CHANGE...: ROOT as a one-layer image TAG. OUT
# records its id, tag and size. The image TAG named before, and the tag an
# older build of this image made, go if nothing else uses them.
import_image() {
  local r=$1 out=$2 tag=$3 c old id size prev oldtag oldid
  shift 3
  local -a changes=()
  for c in "$@"; do changes+=(--change "$c"); done
  old=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null) || true
  id=$(tar -C "$r" --numeric-owner -c . | docker import "${changes[@]}" - "$tag")
  size=$(docker image inspect -f '{{.Size}}' "$tag")
  printf '%s\n' "$id" >"$out/image.id"
  printf '%s\n' "$tag" >"$out/tag"
  printf '%s\n' "$size" >"$out/size"
  for prev in "${out%/*}"/*/; do
    [[ -f $prev/tag && -f $prev/image.id ]] || continue
    oldtag=$(<"$prev/tag") oldid=$(<"$prev/image.id")
    if [[ $oldtag != "$tag" && $(docker image inspect -f '{{.Id}}' "$oldtag" 2>/dev/null) == "$oldid" ]]; then
      docker rmi "$oldtag" >/dev/null 2>&1 || true
    fi
  done
  if [[ -n $old && $old != "$id" && $(docker image inspect -f '{{len .RepoTags}}' "$old" 2>/dev/null) == 0 ]]; then
    docker rmi "$old" >/dev/null 2>&1 || true
  fi
  echo "$tag: $id, $size bytes"
}

# check_size TAG MAX fails when the image is over its budget.
check_size() {
  local size
  size=$(docker image inspect -f '{{.Size}}' "$1")
  ((size <= $2)) || { echo "$1 is $size bytes, over the budget of $2"; return 1; }
}

# ---------------------------------------------------------------- nginx

# build_nginx OUT TAG: Debian's nginx with its default site, in the
# foreground as PID 1; logs go to the container's stdout/stderr.
build_nginx() {
  local out=$1 tag=$2 work=$PROBEDRILL_CACHE/work/apps-nginx
  umask 022
  rm -rf "$work" && mkdir -p "$work"
  fetch_closure "$work/closure" "${NGINX_PACKAGES[@]}"
  stage_debs "$work/stage" "$work/closure"
  base_rootfs "$work/rootfs" 'www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin' 'www-data:x:33:'
  package_files "$work/closure" "${NGINX_PACKAGES[@]}" | copy_closure "$work/stage" "$work/rootfs"
  import_nginx "$work" "$out" "$tag"
  check_size "$tag" "$NGINX_MAX_BYTES"
  rm -rf "$work"
}

# import_nginx WORK OUT TAG: nginx's files into WORK/rootfs, imported as TAG
# with nginx as PID 1 (probedrill/nginx and probedrill/web), checked by
# `nginx -t`.
import_nginx() {
  local work=$1 out=$2 tag=$3
  nginx_files "$work/rootfs"
  import_image "$work/rootfs" "$out" "$tag" \
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    'EXPOSE 80/tcp' \
    'CMD ["/usr/sbin/nginx", "-g", "daemon off;"]'
  cp "$work/closure" "$out/closure"
  docker run --rm --network none "$tag" nginx -t
}

# nginx_files ROOT does what nginx-common's postinst does, with the page at
# /var/www/html/index.html.
nginx_files() {
  local r=$1
  mkdir -p "$r/var/www/html" "$r/var/lib/nginx" "$r/var/log/nginx" "$r/etc/nginx/sites-enabled"
  ln -sfn /etc/nginx/sites-available/default "$r/etc/nginx/sites-enabled/default"
  cp "$r/usr/share/nginx/html/index.html" "$r/var/www/html/index.html"
  ln -sfn /dev/stdout "$r/var/log/nginx/access.log"
  ln -sfn /dev/stderr "$r/var/log/nginx/error.log"
}

# ---------------------------------------------------------------- postgres

# build_postgres OUT TAG: PostgreSQL with pg-start as the command.
build_postgres() {
  local out=$1 tag=$2 work=$PROBEDRILL_CACHE/work/apps-postgres
  umask 022
  rm -rf "$work" && mkdir -p "$work"
  fetch_closure "$work/closure" "${POSTGRES_PACKAGES[@]}" "${POSTGRES_TOOLS[@]}"
  stage_debs "$work/stage" "$work/closure"
  base_rootfs "$work/rootfs" "postgres:x:$POSTGRES_UID:$POSTGRES_UID:PostgreSQL administrator:/var/lib/postgresql:/bin/sh" \
    "postgres:x:$POSTGRES_UID:"
  {
    package_files "$work/closure" "${POSTGRES_PACKAGES[@]}"
    (cd "$work/stage" && find "${POSTGRES_TOOL_FILES[@]/#/.}" | sed 's|^\.||')
  } | copy_closure "$work/stage" "$work/rootfs"
  postgres_files "$work/rootfs"
  import_image "$work/rootfs" "$out" "$tag" \
    "ENV PATH=/usr/lib/postgresql/$PG_MAJOR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    'ENV PGDATA=/var/lib/postgresql/data' 'ENV LANG=C.UTF-8' \
    'EXPOSE 5432/tcp' \
    'CMD ["/usr/local/bin/pg-start"]'
  cp "$work/closure" "$out/closure"
  docker run --rm --network none "$tag" sh -c \
    'postgres --version && initdb --version && pg_isready --version && psql --version && setpriv --version && id postgres'

  check_size "$tag" "$POSTGRES_MAX_BYTES"
  rm -rf "$work"
}

postgres_files() {
  local r=$1 f
  ln -sfn dash "$r/usr/bin/sh"
  for f in "$r/usr/lib/postgresql/$PG_MAJOR/bin/"*; do
    [[ -e $r/usr/bin/${f##*/} ]] || ln -s "/usr/lib/postgresql/$PG_MAJOR/bin/${f##*/}" "$r/usr/bin/${f##*/}"
  done
  mkdir -p "$r/var/lib/postgresql" "$r/run/postgresql"
  chown "$POSTGRES_UID:$POSTGRES_UID" "$r/var/lib/postgresql" "$r/run/postgresql"
  chmod 3777 "$r/run/postgresql"
  pg_start >"$r/usr/local/bin/pg-start"
  chmod 0755 "$r/usr/local/bin/pg-start"
}

# pg_start prints /usr/local/bin/pg-start.
pg_start() {
  cat <<'EOF'
#!/bin/sh
# pg-start (probedrill/postgres): PostgreSQL as PID 1.
# As root it creates $PGDATA if needed (an emptyDir mounted there is
# root-owned, mode 0777), gives it to postgres and runs itself again as
# postgres. Then, on the first start (no PG_VERSION), initdb; then exec
# postgres. Arguments go to postgres (e.g. -c shared_buffers=64MB).
# POSTGRES_PASSWORD set: it is user postgres's password and connections
# from other hosts need it (scram-sha-256); unset: they are trusted.
# Running as another uid (runAsUser) needs a $PGDATA it owns or can create.
set -eu
PGDATA=${PGDATA:-/var/lib/postgresql/data}
export PGDATA
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 0700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$0" "$@"
fi
init() { TZ=${TZ:-UTC} initdb -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 --no-instructions "$@"; }
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -n "${POSTGRES_PASSWORD:-}" ]; then
    method=scram-sha-256
    pw=/tmp/pg-start.$$
    (umask 077 && printf '%s\n' "$POSTGRES_PASSWORD" >"$pw")
    init --auth-local=trust --auth-host=$method --pwfile="$pw"
    rm -f "$pw"
  else
    method=trust
    init --auth=trust
  fi
  printf 'host all all all %s\n' "$method" >>"$PGDATA/pg_hba.conf"
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
EOF
}

# ---------------------------------------------------------------- redis

# build_redis OUT TAG: Debian's redis-server and redis-tools; the image runs
# as uid 999 (a numeric USER, so runAsNonRoot can verify it) and its CMD is
# redis-server itself as PID 1, on 0.0.0.0:6379, protected mode off, no RDB
# or AOF, logs to stdout. No shell: probes exec redis-cli directly.
build_redis() {
  local out=$1 tag=$2 work=$PROBEDRILL_CACHE/work/apps-redis
  umask 022
  rm -rf "$work" && mkdir -p "$work"
  fetch_closure "$work/closure" "${REDIS_PACKAGES[@]}"
  stage_debs "$work/stage" "$work/closure"
  base_rootfs "$work/rootfs" "redis:x:$REDIS_UID:$REDIS_UID:redis:/var/lib/redis:/usr/sbin/nologin" \
    "redis:x:$REDIS_UID:"
  package_files "$work/closure" "${REDIS_PACKAGES[@]}" | copy_closure "$work/stage" "$work/rootfs"
  redis_files "$work/rootfs"
  import_image "$work/rootfs" "$out" "$tag" \
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    'EXPOSE 6379/tcp' \
    'WORKDIR /var/lib/redis' \
    "USER $REDIS_UID:$REDIS_UID" \
    'CMD ["/usr/bin/redis-server", "--bind", "0.0.0.0", "--port", "6379", "--protected-mode", "no", "--save", "", "--appendonly", "no"]'
  cp "$work/closure" "$out/closure"
  docker run --rm --network none "$tag" redis-server --version
  docker run --rm --network none "$tag" redis-cli --version
  redis_smoke "$tag"
  check_size "$tag" "$REDIS_MAX_BYTES"
  rm -rf "$work"
}

# redis_files ROOT: redis's working directory (what redis-server's postinst
# makes /var/lib/redis), owned by the redis user.
redis_files() {
  local r=$1
  mkdir -p "$r/var/lib/redis"
  chown "$REDIS_UID:$REDIS_UID" "$r/var/lib/redis"
  chmod 0750 "$r/var/lib/redis"
}

# redis_smoke TAG starts TAG's CMD (no network) and waits up to 5 s for
# `redis-cli ping` to answer PONG from a server that is PID 1.
redis_smoke() {
  local id n rc=1
  id=$(docker run -d --network none "$1")
  for ((n = 0; n < 50; n++)); do
    if [[ $(docker exec "$id" redis-cli ping 2>/dev/null) == PONG ]]; then
      docker exec "$id" redis-cli info server | tr -d '\r' | grep -qx 'process_id:1' && rc=0
      break
    fi
    sleep 0.1
  done
  docker logs "$id" 2>&1 | tail -n 20
  docker rm -f "$id" >/dev/null
  ((rc == 0)) || echo "redis-cli ping got no PONG from redis-server as PID 1"
  return "$rc"
}

# ---------------------------------------------------------------- web

# build_web OUT TAG: probedrill/nginx (the same files, nginx_files, PID 1,
# port 80, /etc/nginx/conf.d included) plus redis-cli and the libraries it
# loads: a web app whose probes exec `redis-cli -h redis ping`.
build_web() {
  local out=$1 tag=$2 work=$PROBEDRILL_CACHE/work/apps-web
  umask 022
  rm -rf "$work" && mkdir -p "$work"
  fetch_closure "$work/closure" "${WEB_PACKAGES[@]}" "${WEB_TOOLS[@]}"
  stage_debs "$work/stage" "$work/closure"
  base_rootfs "$work/rootfs" 'www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin' 'www-data:x:33:'
  {
    package_files "$work/closure" "${WEB_PACKAGES[@]}"
    (cd "$work/stage" && find "${WEB_TOOL_FILES[@]/#/.}" | sed 's|^\.||')
  } | copy_closure "$work/stage" "$work/rootfs"
  import_nginx "$work" "$out" "$tag"
  docker run --rm --network none "$tag" redis-cli --version
  web_smoke "$tag"
  check_size "$tag" "$WEB_MAX_BYTES"
  rm -rf "$work"
}

# web_smoke TAG starts TAG's CMD (no network) with a health server in
# /etc/nginx/conf.d, as examples/ mount one, and waits up to 5 s for nginx,
# PID 1, to answer 200 on port 80 (/) and on 8080 (/healthz).
web_smoke() {
  local conf id pid n rc=1
  conf=$(mktemp -d)
  chmod 0755 "$conf"
  printf 'server {\n  listen 8080;\n  location = /healthz { return 200 "ok\\n"; }\n}\n' >"$conf/health.conf"
  chmod 0644 "$conf/health.conf"
  id=$(docker run -d --network none -v "$conf:/etc/nginx/conf.d:ro" "$1")
  pid=$(docker inspect -f '{{.State.Pid}}' "$id")
  for ((n = 0; n < 50; n++)); do
    if [[ $(http_status "$pid" 80 /) == 200 && $(http_status "$pid" 8080 /healthz) == 200 ]]; then
      [[ $(tr '\0' ' ' <"/proc/$pid/cmdline") == "nginx: master process"* ]] && rc=0
      break
    fi
    sleep 0.1
  done
  docker logs "$id" 2>&1 | tail -n 20
  docker rm -f "$id" >/dev/null
  rm -rf "$conf"
  ((rc == 0)) || echo "nginx as PID 1 did not answer 200 on :80/ and :8080/healthz"
  return "$rc"
}

# http_status PID PORT PATH prints the status code of GET PATH on
# 127.0.0.1:PORT in PID's network namespace (bash's /dev/tcp: no curl).
http_status() {
  # shellcheck disable=SC2016 # the inner bash expands them
  timeout 2 nsenter -t "$1" -n "$BASH" -c \
    'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "GET %s HTTP/1.0\r\n\r\n" "$2" >&3 && read -r _ code _ <&3 && echo "$code"' \
    http_status "$2" "$3" 2>/dev/null || true
}

# ---------------------------------------------------------------- injector

# build_injector OUT TAG: Debian's statically linked busybox at /bin/busybox
# with links for $INJECTOR_APPLETS, idling as PID 1 in /usr/local/bin/idle.
# A privileged pod with hostPID: true runs the node's own tools through it:
# `nsenter -t 1 -m -u -i -n -p -- crictl ...`. copy_closure is not used: the
# closure holds no ld.so to resolve libraries with, and busybox loads none
# (the image has no libc; the smoke test runs it).
build_injector() {
  local out=$1 tag=$2 work=$PROBEDRILL_CACHE/work/apps-injector a
  umask 022
  rm -rf "$work" && mkdir -p "$work"
  fetch_closure "$work/closure" "${INJECTOR_PACKAGES[@]}"
  stage_debs "$work/stage" "$work/closure"
  base_rootfs "$work/rootfs" '' ''
  sed -i '/^$/d' "$work/rootfs/etc/passwd" "$work/rootfs/etc/group"
  cp -p "$work/stage/usr/bin/busybox" "$work/rootfs/usr/bin/busybox"
  for a in "${INJECTOR_APPLETS[@]}"; do ln -sfn busybox "$work/rootfs/usr/bin/$a"; done
  injector_idle >"$work/rootfs/usr/local/bin/idle"
  chmod 0755 "$work/rootfs/usr/local/bin/idle"
  import_image "$work/rootfs" "$out" "$tag" \
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    'CMD ["/usr/local/bin/idle"]'
  cp "$work/closure" "$out/closure"
  injector_smoke "$tag"
  check_size "$tag" "$INJECTOR_MAX_BYTES"
  rm -rf "$work"
}

# injector_idle prints /usr/local/bin/idle. PID 1 of a PID namespace gets
# no signal it has no handler for, so `sleep` (or a shell without a trap)
# as PID 1 makes `docker stop` wait its whole timeout and SIGKILL. The trap
# ends it at once, exit 0, and takes the sleep along (with hostPID the sleep
# would otherwise outlive it).
injector_idle() {
  cat <<'EOF'
#!/bin/sh
# idle (probedrill/injector): sleeps until SIGTERM or SIGINT, then exits 0.
trap 'kill $! 2>/dev/null; exit 0' TERM INT
while :; do
  sleep infinity &
  wait $!
done
EOF
}

# injector_smoke TAG: the applets run, nsenter enters a PID 1's namespaces
# with the flags the faults use (privileged, as the pod is), and the idle
# CMD, PID 1, ends on `docker stop` within 3 s (of its 10 s), exit 0.
injector_smoke() {
  local id n start ms code out rc=0
  docker run --rm --network none "$1" sh -c \
    'nsenter --help 2>&1 | grep "^Usage: nsenter" && echo ok | cat && kill -l 15 && sleep 0'
  out=$(docker run --rm --network none --privileged "$1" nsenter -t 1 -m -u -i -n -p -- sh -c 'echo entered') || true
  [[ $out == entered ]] || { echo "nsenter -t 1 -m -u -i -n -p failed: $out"; return 1; }
  id=$(docker run -d --network none "$1")
  for ((n = 0; n < 50; n++)); do
    [[ $(docker top "$id" 2>/dev/null) == *'sleep infinity'* ]] && break
    sleep 0.1
  done
  ((n < 50)) || rc=1
  start=$EPOCHREALTIME
  docker stop -t 10 "$id" >/dev/null
  ms=$(((${EPOCHREALTIME/./} - ${start/./}) / 1000))
  code=$(docker inspect -f '{{.State.ExitCode}}' "$id")
  docker logs "$id" 2>&1 | tail -n 20
  docker rm -f "$id" >/dev/null
  echo "docker stop: $ms ms, exit $code"
  [[ $code == 0 ]] && ((ms < 3000)) || rc=1
  ((rc == 0)) || echo "the idle CMD did not sleep, or did not end on SIGTERM with exit 0 within 3 s"
  return "$rc"
}

# ---------------------------------------------------------------- main

# Functions whose text is part of every image's cache key.
COMMON_FNS=(debian_mirror debian_security_mirror host_apt_uris apt_sources apt_update fetch_closure
  fetch_closure_once deb_file stage_debs merged_usr usr_path package_files is_elf elf_closure
  with_link_targets clean_path copy_closure base_rootfs import_image check_size)

# image_hash NAME VERSION PACKAGES... FUNCTIONS...
image_hash() {
  local name=$1 version=$2
  shift 2
  input_hash "apps-$name" "$DEBIAN_SUITE" "$version" "$(lists_id)" "$EXCLUDE" "$NOT_LOADED" "$*" \
    "$(declare -f "${COMMON_FNS[@]}")"
}

# ensure_image NAME HASH TAG TITLE: builds unless the artefact of HASH exists
# and TAG still names the image it built.
ensure_image() {
  local name=$1 hash=$2 tag=$3 title="Building $3 ($4)" dir
  dir=$(artefact "apps-$name" "$hash")
  if [[ -f $dir/.done && -f $dir/image.id &&
    $(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null) == "$(<"$dir/image.id")" ]]; then
    status '✓' "Image $tag ($4)" "up to date"
    return 0
  fi
  rm -rf "$dir"
  cached "apps-$name" "$hash" "$title" "build_$name" "$tag" || exit 1
}

main() {
  (($(id -u) == 0)) || fail "run as root (chroot, docker)"
  docker version -f '{{.Server.Version}}' >/dev/null 2>&1 || fail "no Docker engine answers ('make deps' starts one)"
  local start=$SECONDS nginx_ver pg_ver redis_ver bb_ver nginx_tag pg_tag redis_tag web_tag injector_tag
  ensure_lists
  nginx_ver=$(candidate_version "${NGINX_PACKAGES[0]}")
  pg_ver=$(candidate_version "${POSTGRES_PACKAGES[0]}")
  redis_ver=$(candidate_version "${REDIS_PACKAGES[0]}")
  bb_ver=$(candidate_version "${INJECTOR_PACKAGES[0]}")
  [[ -n $nginx_ver && -n $pg_ver && -n $redis_ver && -n $bb_ver ]] ||
    fail "no candidate for ${NGINX_PACKAGES[0]}, ${POSTGRES_PACKAGES[0]}, ${REDIS_PACKAGES[0]} or ${INJECTOR_PACKAGES[0]} (APPS_APT_UPDATE=1 refreshes the lists)"
  nginx_tag=probedrill/nginx:$(tag_version "$nginx_ver")
  pg_tag=probedrill/postgres:$(tag_version "$pg_ver")
  redis_tag=probedrill/redis:$(tag_version "$redis_ver")
  web_tag=probedrill/web:$(tag_version "$nginx_ver")
  injector_tag=probedrill/injector:$(tag_version "$bb_ver")

  ensure_image nginx "$(image_hash nginx "$nginx_ver" "${NGINX_PACKAGES[@]}" \
    "$(declare -f build_nginx import_nginx nginx_files)" "$NGINX_MAX_BYTES")" "$nginx_tag" "nginx $nginx_ver"
  ensure_image postgres "$(image_hash postgres "$pg_ver" "${POSTGRES_PACKAGES[@]}" "${POSTGRES_TOOLS[@]}" \
    "${POSTGRES_TOOL_FILES[@]}" "$POSTGRES_UID $POSTGRES_MAX_BYTES" \
    "$(declare -f build_postgres postgres_files pg_start)")" "$pg_tag" "PostgreSQL $pg_ver"
  ensure_image redis "$(image_hash redis "$redis_ver" "${REDIS_PACKAGES[@]}" "$REDIS_UID $REDIS_MAX_BYTES" \
    "$(declare -f build_redis redis_files redis_smoke)")" "$redis_tag" "Redis $redis_ver"
  ensure_image web "$(image_hash web "$nginx_ver" "${WEB_PACKAGES[@]}" "${WEB_TOOLS[@]}" "${WEB_TOOL_FILES[@]}" \
    "$WEB_MAX_BYTES" "$(declare -f build_web import_nginx nginx_files web_smoke http_status)")" "$web_tag" \
    "nginx $nginx_ver + redis-cli"
  ensure_image injector "$(image_hash injector "$bb_ver" "${INJECTOR_PACKAGES[@]}" "${INJECTOR_APPLETS[@]}" \
    "$INJECTOR_MAX_BYTES" "$(declare -f build_injector injector_idle injector_smoke)")" "$injector_tag" \
    "busybox-static $bb_ver"

  # The names examples/ and the e2e specs use: stable across Debian's
  # point releases, moved to the newest build.
  docker tag "$nginx_tag" "$NGINX_STABLE"
  docker tag "$pg_tag" "$POSTGRES_STABLE"
  docker tag "$redis_tag" "$REDIS_STABLE"
  docker tag "$web_tag" "$WEB_STABLE"
  docker tag "$injector_tag" "$INJECTOR_STABLE"

  mkdir -p "${APPS_ENV%/*}"
  printf 'NGINX_IMAGE=%s\nPOSTGRES_IMAGE=%s\nREDIS_IMAGE=%s\nWEB_IMAGE=%s\nINJECTOR_IMAGE=%s\n' \
    "$NGINX_STABLE" "$POSTGRES_STABLE" "$REDIS_STABLE" "$WEB_STABLE" "$INJECTOR_STABLE" >"$APPS_ENV.tmp"
  mv "$APPS_ENV.tmp" "$APPS_ENV"
  cat "$APPS_ENV"
  printf '   done in %s (tags in %s)\n' "$(duration $((SECONDS - start)))" "$APPS_ENV" >&2
}

step_dispatch "$@"
main "$@"
