#!/usr/bin/env bash
# Builds securetx's runtime base image from Debian packages alone, with no registry and no Docker
# engine: Debian 12 (bookworm) with its openjdk-17-jre-headless, the service user securetx
# (uid/gid 10001) and its data directory /var/lib/securetx (owned by it, 0700), written as a
# `docker save` tarball that Jib takes as its base (`tar://…`) and `docker load` accepts. It is
# what the Dockerfile's runtime stage makes of eclipse-temurin:17-jre; Jib cannot give a directory
# to a user itself, so the base does.
#
#   deploy/image/build-base.sh [OUT.tar]      default: target/image/securetx-base.tar
#
# Needs root and mmdebstrap (apt-get install mmdebstrap); downloads about 60 MB of .debs from the
# Debian mirror. The packages come from bookworm, bookworm-updates and bookworm-security, so a
# rebuild picks up the security fixes Debian published since.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/target/image/securetx-base.tar}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
tag=${BASE_TAG:-securetx-base:17-jre-bookworm}
# Downloaded .debs are kept here between runs, so a rebuild fetches only what changed.
debs=${DEB_CACHE:-$root/target/image/debs}

[ "$(id -u)" = 0 ] || { echo "build-base: run as root (mmdebstrap installs into a chroot)" >&2; exit 2; }
command -v mmdebstrap >/dev/null || { echo "build-base: needs mmdebstrap (apt-get install mmdebstrap)" >&2; exit 2; }
case "$(dpkg --print-architecture)" in
  amd64) arch=amd64 ;;
  arm64) arch=arm64 ;;
  *) echo "build-base: unsupported architecture $(dpkg --print-architecture)" >&2; exit 2 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$out")" "$debs"

# essential: only Essential:yes packages (libc, coreutils, bash, dash, …) plus the JRE and what it
# depends on. No apt, no package lists, no documentation except the copyright files. Nothing is
# synced to disk while installing (force-unsafe-io): the result is written once, as a tarball.
# The merged-usr hook sets up merged /usr as debootstrap does, without the usrmerge package (which
# would pull in perl). The setuid and setgid bits go: nothing in the container may gain privileges
# (no-new-privileges says the same at run time). No device nodes in /dev: the runtime makes them. update-alternatives links the man pages it finds no more, so the man1 directory must exist.
mmdebstrap ${MMDEBSTRAP_OPTS:-} --mode=root --variant=essential --architectures="$arch" \
  --skip=download/empty --skip=output/dev --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --setup-hook='mkdir -p "$1"/usr/share/man/man1 "$1"/var/cache/apt/archives' \
  --setup-hook="sync-in $debs /var/cache/apt/archives" \
  --customize-hook="sync-out /var/cache/apt/archives $debs" \
  --include=openjdk-17-jre-headless,ca-certificates --dpkgopt=force-unsafe-io \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/*' \
  --customize-hook='echo "securetx:x:10001:10001:securetx:/var/lib/securetx:/usr/sbin/nologin" >> "$1/etc/passwd"' \
  --customize-hook='echo "securetx:x:10001:" >> "$1/etc/group"' \
  --customize-hook='echo "securetx:!:1::::::" >> "$1/etc/shadow"' \
  --customize-hook='install -d -o 10001 -g 10001 -m 0700 "$1/var/lib/securetx"' \
  --customize-hook='find "$1" -xdev -type f -perm /6000 -exec chmod ug-s {} +' \
  bookworm "$work/rootfs.tar" \
  "deb $mirror bookworm main" \
  "deb $mirror bookworm-updates main" \
  "deb $security bookworm-security main"

java_home=/usr/lib/jvm/java-17-openjdk-$arch
tar -tf "$work/rootfs.tar" ".${java_home}/bin/java" >/dev/null \
  || { echo "build-base: $java_home/bin/java missing from the root file system" >&2; exit 1; }
tar -xOf "$work/rootfs.tar" ./var/lib/dpkg/status > "$work/status"
jre_version=$(awk '/^Package: openjdk-17-jre-headless$/{p=1} p&&/^Version:/{print $2; p=0}' "$work/status")

# One layer, the root file system as mmdebstrap wrote it, and the `docker save` layout:
# manifest.json, the image config named by its digest, the layer under its diff id.
layer_sha=$(sha256sum "$work/rootfs.tar" | cut -d' ' -f1)
mkdir -p "$work/image/$layer_sha"
mv "$work/rootfs.tar" "$work/image/$layer_sha/layer.tar"
created=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" +%Y-%m-%dT%H:%M:%SZ)
cat > "$work/config.json" <<JSON
{
  "architecture": "$arch",
  "os": "linux",
  "created": "$created",
  "config": {
    "Env": [
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "JAVA_HOME=$java_home",
      "LANG=C.UTF-8"
    ],
    "Cmd": ["bash"],
    "Labels": {
      "org.opencontainers.image.title": "securetx-base",
      "org.opencontainers.image.description": "Debian 12 with openjdk-17-jre-headless $jre_version, user securetx (10001), /var/lib/securetx",
      "org.opencontainers.image.base.name": "debian:bookworm (mmdebstrap, essential + openjdk-17-jre-headless)"
    }
  },
  "rootfs": {"type": "layers", "diff_ids": ["sha256:$layer_sha"]},
  "history": [{"created": "$created", "created_by": "deploy/image/build-base.sh (mmdebstrap --variant=essential --include=openjdk-17-jre-headless)"}]
}
JSON
config_sha=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mv "$work/config.json" "$work/image/$config_sha.json"
cat > "$work/image/manifest.json" <<JSON
[{"Config": "$config_sha.json", "RepoTags": ["$tag"], "Layers": ["$layer_sha/layer.tar"]}]
JSON
# Members named without a leading ./ (Jib refuses an entry "./" as outside its destination).
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="$created" \
  -cf "$out.tmp" -C "$work/image" manifest.json "$config_sha.json" "$layer_sha"
mv "$out.tmp" "$out"
echo "build-base: $out ($tag, openjdk-17-jre-headless $jre_version, $(du -h "$out" | cut -f1))"
