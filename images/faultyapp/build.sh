#!/usr/bin/env bash
# images/faultyapp/build.sh IMAGE BINARY: build faultyapp's image from the
# static BINARY (make faultyapp) with Docker, if a Docker engine answers;
# otherwise say so and succeed, so that `make test`-only machines pass.
# Fails if the image is over 10 MB.
set -euo pipefail

image=${1:?usage: build.sh IMAGE BINARY}
binary=${2:?usage: build.sh IMAGE BINARY}
here=$(cd "$(dirname "$0")" && pwd)
max_bytes=$((10 * 1000 * 1000))

if ! docker info >/dev/null 2>&1; then
  echo "image-faultyapp: skipped: no Docker engine answers (docker info failed); 'make deps' installs and starts one" >&2
  exit 0
fi

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
cp "$binary" "$context/faultyapp"
cp "$here/Dockerfile" "$context/Dockerfile"
mkdir -m 1777 "$context/tmp"

old=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null) || true
docker build --quiet -t "$image" "$context" >/dev/null
# The image it replaces goes too if no other tag names it (it would stay
# behind as <none>), unless a container still uses it.
if [[ -n $old && $(docker image inspect -f '{{len .RepoTags}}' "$old" 2>/dev/null) == 0 ]]; then
  docker rmi "$old" >/dev/null 2>&1 || true
fi
size=$(docker image inspect -f '{{.Size}}' "$image")
echo "image-faultyapp: built $image ($((size / 1000)) kB)"
if ((size > max_bytes)); then
  echo "image-faultyapp: $image is $size bytes, over the 10 MB budget" >&2
  exit 1
fi
