# Builds and runs Linbo the way `npm start` does: Node 24, the npm dependencies from the lock file,
# Debian's CJK fonts for posters, the browser bundles, then `node server/main.ts`.
# Keep in step with scripts/setup.mjs and scripts/apt.mjs (the `fonts` purpose).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build-web.mjs && npm prune --omit=dev

FROM node:24-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
ENV NODE_ENV=production LINBO_DATA_DIR=/data PORT=8080 HOST=0.0.0.0
RUN mkdir /data && chown node:node /data
VOLUME /data
EXPOSE 8080
USER node
CMD ["node", "server/main.ts"]
