# Builds and runs Linbo the way `npm start` does: Node 24, the npm dependencies from the lock file
# (install scripts denied as in package.json), the mediasoup worker built from its own npm sources,
# Debian's ffmpeg and CJK fonts, the browser bundles, then the control plane, which starts the media node.
# Keep in step with scripts/setup.mjs and scripts/apt.mjs (purposes fonts, ffmpeg, mediasoup).
FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV LINBO_CACHE_DIR=/opt/linbo-cache
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# scripts/mediasoup.mjs installs the build packages it lists through apt-get and fetches meson from
# bookworm-backports into its cache; the worker lands in $LINBO_CACHE_DIR.
RUN apt-get update \
 && node scripts/mediasoup.mjs > /opt/mediasoup-worker.path \
 && cp "$(cat /opt/mediasoup-worker.path)" /opt/mediasoup-worker \
 && node scripts/build-web.mjs \
 && npm prune --omit=dev

FROM node:24-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk ffmpeg libuv1 libssl3 libsrtp2-1 libabsl20220623 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
COPY --from=build /opt/mediasoup-worker /usr/local/bin/mediasoup-worker
ENV NODE_ENV=production LINBO_DATA_DIR=/data PORT=8080 HOST=0.0.0.0 MEDIASOUP_WORKER_BIN=/usr/local/bin/mediasoup-worker
RUN mkdir /data && chown node:node /data
VOLUME /data
# HTTP, and the media node's ingest ports (LINBO_RTC_MIN_PORT–LINBO_RTC_MAX_PORT): UDP for WebRTC and
# plain RTP, TCP for WebRTC's fallback. Publish the range as it is (-p 40000-40999:40000-40999/udp ...):
# publishers are told these port numbers. A changed range needs these lines changed with it.
EXPOSE 8080
EXPOSE 40000-40999/udp
EXPOSE 40000-40999/tcp
USER node
CMD ["node", "server/main.ts"]
