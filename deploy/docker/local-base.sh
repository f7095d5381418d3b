#!/usr/bin/env bash
# Builds the two local base images that stand in for registry images where no registry can be
# reached (CI on these machines):
#   localhost/debian:bookworm-minbase  debootstrap --variant=minbase bookworm, imported with docker import
#   localhost/debian-jre:17            that plus Debian's openjdk-17-jre-headless (deploy/docker/base/Dockerfile)
# With a cache folder (argument 1, e.g. ~/.cache/inbox-push), both are saved there as one tar named
# after a hash of this script and the Dockerfile, and loaded from it by later runs instead of
# rebuilt. Needs root (debootstrap), docker (DOCKER_HOST) and the Debian mirror.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${1:-}"
images=(localhost/debian:bookworm-minbase localhost/debian-jre:17)
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

key="$(cat "$0" "$here/base/Dockerfile" | sha256sum | cut -c1-12)"
tar_file="${cache:+$cache/base-images-$key.tar}"
if [ -n "$tar_file" ] && [ -s "$tar_file" ]; then
  echo "local base images: loading $tar_file"
  docker load -q -i "$tar_file"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/inbox-push-rootfs.XXXXXX")"
# debootstrap mounts proc and sys in the root while it runs: unmount them before deleting.
trap 'umount "$work/rootfs/proc" "$work/rootfs/sys" 2> /dev/null || true; rm -rf --one-file-system "$work"' EXIT
start=$SECONDS
echo "local base images: debootstrap --variant=minbase bookworm (about a minute)"
debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
rm -rf "$work"/rootfs/var/lib/apt/lists/* "$work"/rootfs/var/cache/apt/*
tar --numeric-owner -C "$work/rootfs" -c . \
  | docker import \
      -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      -c 'CMD ["/bin/bash"]' - "${images[0]}" > /dev/null
echo "local base images: ${images[0]} imported after $((SECONDS - start)) s; the JRE layer next"
DOCKER_BUILDKIT=0 docker build --network host -t "${images[1]}" "$here/base" > "$work/jre.log" 2>&1 \
  || { tail -30 "$work/jre.log" >&2; exit 1; }
echo "local base images: ${images[1]} built after $((SECONDS - start)) s"
if [ -n "$tar_file" ]; then
  mkdir -p "$cache"
  rm -f "$cache"/base-images-*.tar
  docker save -o "$tar_file.partial" "${images[@]}"
  mv "$tar_file.partial" "$tar_file"
  echo "local base images: cached as $tar_file"
fi
