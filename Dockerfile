# cowrite's image: the built web app and sync server. `docker run` starts both (dist/launcher.js);
# compose.yaml runs each in its own container behind Caddy. Untested here: the machines this
# project is developed on cannot run Docker.

# Build: every dependency, then `npm run build` (.next/ and dist/).
FROM node:20-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && rm -rf .next/cache

# Production dependencies only (LevelDB's native module comes prebuilt in its package).
FROM node:20-slim AS production-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    SYNC_PORT=1234 \
    DATA_DIR=/data
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/next.config.js ./
COPY --from=build /app/.next ./.next
COPY --from=build /app/dist ./dist
COPY --from=build /app/public ./public
# The code stays root's and read-only; the store is the node user's.
RUN mkdir /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000 1234
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.SYNC_PORT || 1234) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/launcher.js"]
