#!/usr/bin/env bash
# images/build.sh: the offline builder of probedrill's kind node image.
#
#   images/build.sh [all|node|components|rootfs|kube|containerd|crictl|etcd|coredns|pause|nettest|nodenet|hashes]
#
# Everything comes from the Go module proxy and the Debian mirror the host's
# apt sources name; no container registry is used. Each step is cached under
# $PROBEDRILL_CACHE/artefacts/<step>/<hash of its inputs>; the node image
# carries the hash of all its inputs in a label, so an unchanged rerun only
# computes hashes. A step's inputs are its versions, its source directory
# and the text of its own build function (`declare -f`), so editing one
# function rebuilds that step and the ones built from it, nothing else.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=images/lib.sh disable=SC1091
source "$HERE/lib.sh"
# shellcheck source=images/versions.sh disable=SC1091
source "$HERE/versions.sh"
# shellcheck source=images/oci.sh disable=SC1091
source "$HERE/oci.sh"

export GOCACHE=${PROBEDRILL_GOCACHE:-$PROBEDRILL_CACHE/go-build}
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=local
GOVERSION=$(go env GOVERSION)

# ---------------------------------------------------------------- binaries

kube_ldflags() {
  local v=$KUBERNETES_VERSION minor pkg flags="-s -w"
  minor=${v#v1.} minor=${minor%%.*}
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  printf '%s' "$flags"
}

# build_kube OUT: the multi-call binary (images/kube) with upstream's tags.
build_kube() {
  cd "$HERE/kube"
  go build -trimpath -tags selinux,notest,grpcnotrace -ldflags "$(kube_ldflags)" -o "$1/kube" .
  "$1/kube" kubeadm version -o short
}

build_containerd() {
  local pkg=github.com/containerd/containerd/v2
  GOBIN=$1 go install -trimpath -tags "$CONTAINERD_TAGS" \
    -ldflags "-s -w -X $pkg/version.Version=$CONTAINERD_VERSION -X $pkg/version.Package=$pkg" \
    "$pkg/cmd/containerd@$CONTAINERD_VERSION" "$pkg/cmd/ctr@$CONTAINERD_VERSION" \
    "$pkg/cmd/containerd-shim-runc-v2@$CONTAINERD_VERSION"
  "$1/containerd" --version
}

build_crictl() {
  GOBIN=$1 go install -trimpath -ldflags "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=$CRICTL_VERSION" \
    "sigs.k8s.io/cri-tools/cmd/crictl@$CRICTL_VERSION"
  "$1/crictl" --version
}

# build_module OUT NAME [LDFLAGS]: a small module under images/NAME.
build_module() {
  cd "$HERE/$2"
  go build -trimpath -ldflags "-s -w ${3:-}" -o "$1/$2" .
}

# Each binary artefact: name, version text for the cache key, build command.
declare -A BIN_VERSION=(
  [kube]=$KUBERNETES_VERSION [containerd]=$CONTAINERD_VERSION [crictl]=$CRICTL_VERSION
  [etcd]=$ETCD_VERSION [coredns]=$COREDNS_VERSION [pause]=$PAUSE_VERSION
  [nettest]=$NETTEST_IMAGE [nodenet]=nodenet
)
declare -A BIN_TITLE=(
  [kube]="kubernetes $KUBERNETES_VERSION (kubeadm, kubelet, kubectl, control plane, kube-proxy)"
  [containerd]="containerd $CONTAINERD_VERSION" [crictl]="crictl $CRICTL_VERSION"
  [etcd]="etcd $ETCD_VERSION" [coredns]="coredns $COREDNS_VERSION"
  [pause]="pause $PAUSE_VERSION" [nettest]=nettest [nodenet]=nodenet
)
BINARIES=(kube containerd crictl etcd coredns pause nettest nodenet)

bin_build_cmd() {
  case $1 in
    kube | containerd | crictl) echo "build_$1" ;;
    coredns) echo "build_module_ldflags coredns" ;;
    *) echo "build_module_ldflags $1" ;;
  esac
}

build_module_ldflags() {
  local name=$1 out=$2
  case $name in
    coredns) build_module "$out" coredns "-X github.com/coredns/coredns/coremain.GitCommit=$COREDNS_VERSION" ;;
    *) build_module "$out" "$name" ;;
  esac
}

compute_bin_hash() {
  local name=$1 src=()
  [[ -d $HERE/$name ]] && src=("$HERE/$name")
  input_hash "bin-$name" "${BIN_VERSION[$name]}" "$GOVERSION" \
    "$(declare -f "build_$name" build_module build_module_ldflags kube_ldflags 2>/dev/null)" "${src[@]}"
}

build_bin() {
  local name=$1 cmd
  read -ra cmd <<<"$(bin_build_cmd "$name")"
  cached "bin-$name" "$(bin_hash "$name")" "Building ${BIN_TITLE[$name]}" run_into "${cmd[@]}"
}

# run_into OUT CMD... runs CMD... OUT (cached passes the directory first).
run_into() {
  local out=$1
  shift
  "$@" "$out"
}

# ------------------------------------------------------------------ rootfs

# debian_mirror prints the Debian mirror the host's apt sources use.
debian_mirror() {
  if [[ -n ${DEBIAN_MIRROR:-} ]]; then
    echo "$DEBIAN_MIRROR"
    return
  fi
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -oE '^(URIs:|deb)[[:space:]]+[^[:space:]]+' | awk '{print $2}' |
    grep -E '/debian/?$' | head -n1 || true
}

node_packages() { grep -vE '^[[:space:]]*(#|$)' "$HERE/node/packages.txt" | paste -sd, -; }

# build_rootfs OUT: debootstrap minbase with the node's packages, slimmed.
build_rootfs() {
  local out=$1 mirror
  mirror=$(debian_mirror)
  [[ -n $mirror ]] || { echo "no Debian mirror in the apt sources; set DEBIAN_MIRROR"; return 1; }
  mkdir -p "$PROBEDRILL_CACHE/debs"
  debootstrap --variant=minbase --cache-dir="$PROBEDRILL_CACHE/debs" \
    --include="$(node_packages)" "$DEBIAN_SUITE" "$out/rootfs" "$mirror"
  slim_rootfs "$out/rootfs"
}

slim_rootfs() {
  local r=$1
  rm -rf "$r"/usr/share/{doc,man,info,locale,lintian,linda,bug}/* "$r"/var/lib/apt/lists/* \
    "$r"/var/cache/apt/* "$r"/var/cache/debconf/*-old "$r"/var/log/* "$r"/debootstrap
  find "$r/usr/share/doc" -mindepth 1 -delete 2>/dev/null || true
}

compute_rootfs_hash() {
  input_hash rootfs "$DEBIAN_SUITE" "$HERE/node/packages.txt" "$(declare -f build_rootfs slim_rootfs node_packages)"
}

# -------------------------------------------------------- component images

# build_components OUT: an OCI layout tar (OUT/images.tar) with every image
# kubeadm asks for, plus nettest, ready for `ctr images import`.
build_components() {
  local out=$1 kube etcd coredns pause nettest rootfs
  kube=$(artefact bin-kube "$(bin_hash kube)")
  etcd=$(artefact bin-etcd "$(bin_hash etcd)")
  coredns=$(artefact bin-coredns "$(bin_hash coredns)")
  pause=$(artefact bin-pause "$(bin_hash pause)")
  nettest=$(artefact bin-nettest "$(bin_hash nettest)")
  rootfs=$(artefact rootfs "$(rootfs_hash)")/rootfs
  check_image_list "$kube/kube"
  components_layout "$out/layout" "$kube" "$etcd" "$coredns" "$pause" "$nettest" "$rootfs"
  tar -C "$out/layout" -cf "$out/images.tar" .
  rm -rf "$out/layout"
  cat "$out/images.txt"
}

# check_image_list KUBE fails when kubeadm asks for images other than the
# ones built here (a version bump that forgot one).
check_image_list() {
  local want got
  want=$(component_refs | sort)
  got=$("$1" kubeadm config images list --kubernetes-version "$KUBERNETES_VERSION" 2>/dev/null | sort)
  [[ $want == "$got" ]] || { printf 'kubeadm wants:\n%s\nbuilt:\n%s\n' "$got" "$want"; return 1; }
}

component_refs() {
  local k
  for k in kube-apiserver kube-controller-manager kube-scheduler kube-proxy; do
    echo "registry.k8s.io/$k:$KUBERNETES_VERSION"
  done
  echo "registry.k8s.io/coredns/coredns:$COREDNS_VERSION"
  echo "registry.k8s.io/pause:$PAUSE_VERSION"
  echo "registry.k8s.io/etcd:$ETCD_IMAGE_TAG"
}

components_layout() {
  local layout=$1 kube=$2 etcd=$3 coredns=$4 pause=$5 nettest=$6 rootfs=$7 d
  local k L_kube L_base
  d=$(mktemp -d)
  oci_init "$layout"
  # One layer with the kube binary, shared by the four Kubernetes images.
  install -D -m0755 "$kube/kube" "$d/kube/usr/local/bin/kube"
  L_kube=$(oci_layer "$layout" "$d/kube")
  # A base layer: /tmp, and root/nobody for tools that look users up.
  mkdir -p "$d/base/tmp" "$d/base/etc" && chmod 1777 "$d/base/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$d/base/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$d/base/etc/group"
  L_base=$(oci_layer "$layout" "$d/base")
  for k in kube-apiserver kube-controller-manager kube-scheduler; do
    mkdir -p "$d/$k/usr/local/bin" && ln -s kube "$d/$k/usr/local/bin/$k"
    oci_image "$layout" "registry.k8s.io/$k:$KUBERNETES_VERSION" "[\"/usr/local/bin/$k\"]" null \
      "$L_base" "$L_kube" "$(oci_layer "$layout" "$d/$k")"
  done
  kube_proxy_userland "$rootfs" "$d/proxy"
  ln -s kube "$d/proxy/usr/local/bin/kube-proxy"
  oci_image "$layout" "registry.k8s.io/kube-proxy:$KUBERNETES_VERSION" '["/usr/local/bin/kube-proxy"]' null \
    "$L_base" "$L_kube" "$(oci_layer "$layout" "$d/proxy")"
  install -D -m0755 "$etcd/etcd" "$d/etcd/usr/local/bin/etcd"
  oci_image "$layout" "registry.k8s.io/etcd:$ETCD_IMAGE_TAG" '["/usr/local/bin/etcd"]' null \
    "$L_base" "$(oci_layer "$layout" "$d/etcd")"
  install -D -m0755 "$coredns/coredns" "$d/coredns/coredns"
  oci_image "$layout" "registry.k8s.io/coredns/coredns:$COREDNS_VERSION" '["/coredns"]' null \
    "$L_base" "$(oci_layer "$layout" "$d/coredns")"
  install -D -m0755 "$pause/pause" "$d/pause/pause"
  OCI_USER=65535:65535 oci_image "$layout" "registry.k8s.io/pause:$PAUSE_VERSION" '["/pause"]' null \
    "$(oci_layer "$layout" "$d/pause")"
  install -D -m0755 "$nettest/nettest" "$d/nettest/nettest"
  oci_image "$layout" "$NETTEST_IMAGE" '["/nettest"]' '["serve"]' \
    "$L_base" "$(oci_layer "$layout" "$d/nettest")"
  oci_finish "$layout" >"$(dirname "$layout")/images.txt"
  rm -rf "$d"
}

# kube_proxy_userland ROOTFS OUT copies, from the node's Debian root
# filesystem, the packages kube-proxy executes (iptables and nft, conntrack)
# with their library closure: a few MB instead of a second debootstrap.
kube_proxy_userland() {
  local rootfs=$1 out=$2 pkg name
  local -a pkgs
  mapfile -t pkgs < <(deb_closure "$rootfs" iptables nftables conntrack)
  mkdir -p "$out/usr/local/bin" "$out/etc/alternatives" "$out/usr/sbin"
  # Keep Debian's merged-/usr links (/lib -> usr/lib ...) so files land once.
  mkdir -p "$out/usr/bin" "$out/usr/lib" "$out/usr/lib64"
  for name in bin sbin lib lib64; do
    if [[ -L $rootfs/$name ]]; then cp -a "$rootfs/$name" "$out/$name"; fi
  done
  dpkg-query --admindir="$rootfs/var/lib/dpkg" -L "${pkgs[@]}" | grep -vE '^/usr/share/(doc|man|info|lintian|locale)' | sort -u |
    while read -r f; do
      if [[ -L $rootfs$f || (-e $rootfs$f && ! -d $rootfs$f) ]]; then echo ".$f"; fi
    done |
    tar -C "$rootfs" -cf - --no-recursion -T - | tar -C "$out" -xf -
  # iptables' generic names are alternatives (iptables -> iptables-nft),
  # made by maintainer scripts, so dpkg -L does not list them.
  for name in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
    cp -a "$rootfs/usr/sbin/$name" "$out/usr/sbin/$name"
    cp -a "$rootfs/etc/alternatives/$name" "$out/etc/alternatives/$name"
  done
  chroot "$out" /usr/sbin/iptables --version
  chroot "$out" /usr/sbin/conntrack --version
  chroot "$out" /usr/sbin/nft --version
}

# deb_closure ROOTFS PKG... prints PKG... and everything they depend on
# (Depends and Pre-Depends, first installed alternative), as installed there.
deb_closure() {
  local rootfs=$1
  shift
  dpkg-query --admindir="$rootfs/var/lib/dpkg" -W -f '${Package}\t${Status}\t${Depends}, ${Pre-Depends}\n' |
    awk -F'\t' -v roots="$*" '
      $2 ~ / installed$/ { installed[$1] = 1; deps[$1] = $3 }
      END {
        n = split(roots, todo, " ")
        for (i = 1; i <= n; i++) {
          p = todo[i]
          if (p in seen) continue
          seen[p] = 1
          print p
          m = split(deps[p], ds, ",")
          for (j = 1; j <= m; j++) {
            k = split(ds[j], alts, "|")
            for (a = 1; a <= k; a++) {
              q = alts[a]
              gsub(/\([^)]*\)/, "", q); gsub(/:[a-z0-9]+/, "", q); gsub(/[[:space:]]/, "", q)
              if (q in installed) { todo[++n] = q; break }
            }
          }
        }
      }'
}

compute_components_hash() {
  input_hash components "$(bin_hash kube)" "$(bin_hash etcd)" "$(bin_hash coredns)" "$(bin_hash pause)" \
    "$(bin_hash nettest)" "$(rootfs_hash)" "$KUBERNETES_VERSION $ETCD_IMAGE_TAG $COREDNS_VERSION $PAUSE_VERSION $NETTEST_IMAGE" \
    "$(declare -f build_components check_image_list component_refs components_layout kube_proxy_userland deb_closure)" \
    "$HERE/oci.sh"
}

# -------------------------------------------------------------- node image

compute_node_hash() {
  input_hash node "$NODE_IMAGE" "$(rootfs_hash)" "$(components_hash)" "$(bin_hash kube)" \
    "$(bin_hash containerd)" "$(bin_hash crictl)" "$(bin_hash nodenet)" "$HERE/node/files" \
    "$(declare -f build_node install_node_files install_node_binaries enable_node_units preload_images import_node_image)"
}

node_image_hash() {
  docker image inspect -f "{{ index .Config.Labels \"$NODE_HASH_LABEL\" }}" "$NODE_IMAGE" 2>/dev/null || true
}

# build_node WORK HASH: the node root filesystem, assembled in WORK, then
# imported into Docker as $NODE_IMAGE.
build_node() {
  local work=$1 hash=$2 r=$1/rootfs
  cp -a "$(artefact rootfs "$(rootfs_hash)")/rootfs" "$r"
  install_node_files "$r"
  install_node_binaries "$r"
  enable_node_units "$r"
  preload_images "$r" "$work"
  import_node_image "$r" "$hash"
  docker image inspect -f '{{.Size}}' "$NODE_IMAGE" | awk '{printf "node image size: %.0f MB\n", $1/1e6}'
}

install_node_files() {
  local r=$1
  cp -a "$HERE/node/files/." "$r/"
  find "$r/etc/systemd/system" "$r/etc/containerd" "$r/etc/sysctl.d" "$r/etc/default" "$r/kind" -type f -exec chmod 0644 {} +
  chmod 0755 "$r/usr/local/bin/entrypoint" "$r"/kind/bin/*.sh "$r/kind" "$r/kind/bin"
  printf '%s' "$KUBERNETES_VERSION" >"$r/kind/version"
  mkdir -p "$r/etc/kubernetes/manifests"
}

install_node_binaries() {
  local r=$1 kube containerd crictl nodenet b p
  kube=$(artefact bin-kube "$(bin_hash kube)")
  containerd=$(artefact bin-containerd "$(bin_hash containerd)")
  crictl=$(artefact bin-crictl "$(bin_hash crictl)")
  nodenet=$(artefact bin-nodenet "$(bin_hash nodenet)")
  install -m0755 "$kube/kube" "$r/usr/bin/kube"
  for b in kubeadm kubelet kubectl; do ln -sf kube "$r/usr/bin/$b"; done
  for b in containerd ctr containerd-shim-runc-v2; do install -m0755 "$containerd/$b" "$r/usr/local/bin/$b"; done
  install -m0755 "$crictl/crictl" "$nodenet/nodenet" "$r/usr/local/bin/"
  # kind's CNI plugin set, from Debian's package; the rest is dropped.
  mkdir -p "$r/opt/cni/bin"
  for p in "$r"/usr/lib/cni/*; do
    case ${p##*/} in
      bridge | host-local | loopback | portmap | ptp) ln -sf "/usr/lib/cni/${p##*/}" "$r/opt/cni/bin/${p##*/}" ;;
      *) rm -f "$p" ;;
    esac
  done
  "$containerd/ctr" oci spec |
    jq '.hooks.createContainer[.hooks.createContainer | length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' |
    jq 'del(.process.rlimits)' >"$r/etc/containerd/cri-base.json"
}

# enable_node_units does what kind's base Dockerfile does to systemd.
enable_node_units() {
  local r=$1
  find "$r/lib/systemd/system/sysinit.target.wants/" -name systemd-tmpfiles-setup.service -delete
  rm -f "$r"/lib/systemd/system/multi-user.target.wants/* "$r"/etc/systemd/system/*.wants/* \
    "$r"/lib/systemd/system/local-fs.target.wants/* "$r"/lib/systemd/system/sockets.target.wants/*udev* \
    "$r"/lib/systemd/system/sockets.target.wants/*initctl* "$r"/lib/systemd/system/basic.target.wants/*
  echo "ReadKMsg=no" >>"$r/etc/systemd/journald.conf"
  [[ -e $r/sbin/init ]] || ln -s /usr/lib/systemd/systemd "$r/sbin/init"
  chroot "$r" systemctl enable kubelet.service containerd.service undo-mount-hacks.service nodenet.service
  chroot "$r" systemctl mask systemd-binfmt.service
}

# preload_images runs the freshly built containerd on the host with its root
# inside the node's filesystem (no CRI, a private socket) and imports the
# component images unpacked lazily: kind's node image build does the same
# from a privileged build container.
preload_images() {
  local r=$1 work=$2 components containerd sock pid rc=0
  components=$(artefact components "$(components_hash)")
  containerd=$(artefact bin-containerd "$(bin_hash containerd)")
  sock=$work/containerd.sock
  cat >"$work/containerd.toml" <<EOF
version = 3
root = "$r/var/lib/containerd"
state = "$work/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.cri.v1.images", "io.containerd.cri.v1.runtime", "io.containerd.nri.v1.nri"]
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
EOF
  "$containerd/containerd" --config "$work/containerd.toml" >"$work/containerd.log" 2>&1 &
  pid=$!
  local i
  for ((i = 0; i < 100; i++)); do
    "$containerd/ctr" --address "$sock" version >/dev/null 2>&1 && break
    sleep 0.1
  done
  "$containerd/ctr" --address "$sock" -n k8s.io images import --no-unpack \
    --label io.cri-containerd.pinned=pinned "$components/images.tar" || rc=$?
  "$containerd/ctr" --address "$sock" -n k8s.io images list -q || rc=$?
  kill "$pid"
  wait "$pid" || true
  ((rc == 0)) || { cat "$work/containerd.log"; return "$rc"; }
}

import_node_image() {
  local r=$1 hash=$2 old
  old=$(docker image inspect -f '{{.Id}}' "$NODE_IMAGE" 2>/dev/null) || true
  tar -C "$r" --xattrs --xattrs-include='*' -c . | docker import \
    --change 'ENV container=docker' \
    --change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' \
    - "$NODE_IMAGE-flat"
  # docker import cannot set STOPSIGNAL or labels: a build with no RUN
  # adds them as metadata only.
  printf 'FROM %s\nSTOPSIGNAL SIGRTMIN+3\nLABEL %s=%s\n' "$NODE_IMAGE-flat" "$NODE_HASH_LABEL" "$hash" |
    DOCKER_BUILDKIT=0 docker build -q -t "$NODE_IMAGE" -
  docker rmi "$NODE_IMAGE-flat" >/dev/null
  # The replaced image goes too if no other tag names it, unless a node
  # container still uses it.
  if [[ -n $old && $(docker image inspect -f '{{len .RepoTags}}' "$old" 2>/dev/null) == 0 ]]; then
    docker rmi "$old" >/dev/null 2>&1 || true
  fi
}

ensure_node() {
  local hash work
  hash=$(node_hash)
  if [[ $(node_image_hash) == "$hash" ]]; then
    status '✓' "Node image $NODE_IMAGE" "up to date"
    return
  fi
  work=$PROBEDRILL_CACHE/work/node
  rm -rf "$work" && mkdir -p "$work"
  step node "Building node image $NODE_IMAGE" build_node "$work" "$hash"
  rm -rf "$work"
}

# ------------------------------------------------------------------ hashes

# HASHES memoises the cache keys: compute_hashes fills it once in the main
# process; a step process (or a lookup before that) computes on demand.
declare -A HASHES=()
bin_hash() { printf '%s' "${HASHES[bin-$1]:-$(compute_bin_hash "$1")}"; }
rootfs_hash() { printf '%s' "${HASHES[rootfs]:-$(compute_rootfs_hash)}"; }
components_hash() { printf '%s' "${HASHES[components]:-$(compute_components_hash)}"; }
node_hash() { printf '%s' "${HASHES[node]:-$(compute_node_hash)}"; }

compute_hashes() {
  local name
  for name in "${BINARIES[@]}"; do HASHES[bin-$name]=$(compute_bin_hash "$name"); done
  HASHES[rootfs]=$(compute_rootfs_hash)
  HASHES[components]=$(compute_components_hash)
  HASHES[node]=$(compute_node_hash)
}

# ------------------------------------------------------------------- main

ensure_rootfs() { cached rootfs "$(rootfs_hash)" "Bootstrapping Debian $DEBIAN_SUITE node root filesystem" build_rootfs; }
ensure_components() {
  cached components "$(components_hash)" "Building component images (kubeadm's images, nettest)" build_components
}

build_all() {
  local rootfs_pid name
  # debootstrap is mostly download and dpkg: it runs beside the Go builds.
  ensure_rootfs &
  rootfs_pid=$!
  for name in "${BINARIES[@]}"; do
    build_bin "$name" || { kill "$rootfs_pid" 2>/dev/null; wait; return 1; }
  done
  wait "$rootfs_pid" || return 1
  ensure_components
  ensure_node
}

main() {
  (($(id -u) == 0)) || fail "run as root (debootstrap, chroot, docker)"
  local start=$SECONDS target=${1:-all}
  compute_hashes
  case $target in
    all) build_all ;;
    node)
      for name in containerd crictl nodenet; do build_bin "$name"; done
      ensure_components_deps
      ensure_components
      ensure_node
      ;;
    components) ensure_components_deps && ensure_components ;;
    rootfs) ensure_rootfs ;;
    hashes) for name in "${BINARIES[@]}"; do echo "bin-$name $(bin_hash "$name")"; done
      echo "rootfs $(rootfs_hash)"; echo "components $(components_hash)"; echo "node $(node_hash)" ;;
    *)
      [[ -n ${BIN_VERSION[$target]:-} ]] || fail "usage: $0 [all|node|components|rootfs|hashes|${BINARIES[*]// /|}]"
      build_bin "$target"
      ;;
  esac
  [[ $target == hashes ]] || printf '   done in %s\n' "$(duration $((SECONDS - start)))" >&2
}

ensure_components_deps() {
  local name
  for name in kube etcd coredns pause nettest; do build_bin "$name"; done
  ensure_rootfs
}

step_dispatch "$@"
main "$@"
