# shellcheck shell=bash
# images/oci.sh: write OCI image layouts with bash, tar, pigz and jq, so the
# component images need no Docker build, and images built from the same
# directory share the same layer blob (the kube binary is stored once).
#
#   oci_init LAYOUT
#   L=$(oci_layer LAYOUT DIR)                      a layer from DIR's contents
#   oci_image LAYOUT REF ENTRYPOINT_JSON CMD_JSON L...   (OCI_USER=uid:gid optional)
#   oci_finish LAYOUT                              writes index.json, prints the refs
#
# Layers are reproducible: sorted names, zero times and owners, gzip -n.

oci_init() {
  mkdir -p "$1/blobs/sha256"
  printf '{"imageLayoutVersion":"1.0.0"}\n' >"$1/oci-layout"
  : >"$1/manifests.jsonl"
}

# oci_blob LAYOUT FILE moves FILE into the blob store, prints "digest size".
oci_blob() {
  local sum size
  sum=$(sha256sum <"$2" | cut -d' ' -f1)
  size=$(stat -c %s "$2")
  mv "$2" "$1/blobs/sha256/$sum"
  printf 'sha256:%s %s' "$sum" "$size"
}

# oci_layer LAYOUT DIR prints the layer as "digest,diff_id,size".
oci_layer() {
  local layout=$1 dir=$2 tmp diff_id blob
  tmp=$(mktemp "$layout/layer.XXXXXX")
  tar -C "$dir" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
    --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    -cf "$tmp" .
  diff_id=sha256:$(sha256sum <"$tmp" | cut -d' ' -f1)
  pigz -n -c "$tmp" >"$tmp.gz"
  rm -f "$tmp"
  read -r blob size < <(oci_blob "$layout" "$tmp.gz")
  printf '%s,%s,%s' "$blob" "$diff_id" "$size"
}

# oci_image LAYOUT REF ENTRYPOINT CMD LAYER... adds one image to the layout.
oci_image() {
  local layout=$1 ref=$2 entrypoint=$3 cmd=$4
  shift 4
  local layers_json config cdesc manifest mdesc
  layers_json=$(printf '%s\n' "$@" | jq -R 'split(",") | {digest: .[0], diff_id: .[1], size: (.[2] | tonumber)}' | jq -s .)
  config=$(mktemp "$layout/config.XXXXXX")
  jq -n --argjson layers "$layers_json" --argjson ep "$entrypoint" --argjson cmd "$cmd" --arg user "${OCI_USER:-}" '{
      architecture: "amd64", os: "linux",
      config: ({Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], Entrypoint: $ep}
        + (if $cmd == null then {} else {Cmd: $cmd} end)
        + (if $user == "" then {} else {User: $user} end)),
      rootfs: {type: "layers", diff_ids: [$layers[].diff_id]},
      history: [$layers[] | {created_by: "probedrill images/oci.sh"}]
    }' >"$config"
  cdesc=$(oci_blob "$layout" "$config")
  manifest=$(mktemp "$layout/manifest.XXXXXX")
  jq -n --argjson layers "$layers_json" --arg c "$cdesc" '{
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {mediaType: "application/vnd.oci.image.config.v1+json",
        digest: ($c | split(" ")[0]), size: ($c | split(" ")[1] | tonumber)},
      layers: [$layers[] | {mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest, size}]
    }' >"$manifest"
  mdesc=$(oci_blob "$layout" "$manifest")
  jq -nc --arg m "$mdesc" --arg ref "$ref" '{
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      digest: ($m | split(" ")[0]), size: ($m | split(" ")[1] | tonumber),
      platform: {architecture: "amd64", os: "linux"},
      annotations: {"io.containerd.image.name": $ref, "org.opencontainers.image.ref.name": ($ref | split(":") | last)}
    }' >>"$layout/manifests.jsonl"
}

oci_finish() {
  jq -s '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: .}' \
    "$1/manifests.jsonl" >"$1/index.json"
  rm -f "$1/manifests.jsonl"
  jq -r '.manifests[].annotations["io.containerd.image.name"]' "$1/index.json"
}
