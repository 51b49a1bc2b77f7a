import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Close } from '../lib/close-codes'
import { isDocId } from '../lib/doc-id'
import { adminKey } from '../lib/tokens'
import type { Metrics } from './metrics'
import type { Rooms } from './rooms'
import type { DocStore } from './store/doc-store'

type Deps = { secret: string; store: DocStore; rooms: Rooms; metrics: Metrics; isReady: () => boolean }

/**
 * Plain HTTP: `GET /healthz`, `GET /metrics`, and the admin interface that local tools
 * (the web app, the CLI) use with `Authorization: Bearer <adminKey(SECRET)>`:
 *   GET  /admin/docs/<docId>              -> { docId, linkGeneration, updatedAt }
 *   POST /admin/docs/<docId>/reset-links  -> { docId, linkGeneration }  (old links revoked)
 */
export function createHttpRoutes(deps: Deps) {
  const expectedAuth = Buffer.from(`Bearer ${adminKey(deps.secret)}`)

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method === 'GET' && path === '/healthz') {
      const healthy = deps.isReady() && deps.store.healthy
      json(res, healthy ? 200 : 503, { status: healthy ? 'ok' : 'unhealthy', store: deps.store.healthy ? 'ok' : 'failing' })
      return true
    }
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': deps.metrics.registry.contentType }).end(await deps.metrics.registry.metrics())
      return true
    }
    const admin = /^\/admin\/docs\/([^/]+)(\/reset-links)?$/.exec(path)
    if (!admin) return false
    const given = Buffer.from(req.headers.authorization ?? '')
    if (given.length !== expectedAuth.length || !timingSafeEqual(given, expectedAuth)) {
      json(res, 401, { error: 'unauthorized' })
      return true
    }
    const docId = admin[1]
    if (!isDocId(docId)) {
      json(res, 400, { error: 'invalid document id' })
      return true
    }
    const meta = (await deps.store.getMeta(docId)) ?? { linkGeneration: 0, updatedAt: 0 }
    if (req.method === 'GET' && !admin[2]) {
      json(res, 200, { docId, ...meta })
      return true
    }
    if (req.method === 'POST' && admin[2]) {
      const linkGeneration = meta.linkGeneration + 1
      await deps.store.setMeta(docId, { ...meta, linkGeneration })
      for (const conn of deps.rooms.connectionsOf(docId)) {
        if (conn.generation !== linkGeneration) conn.close(Close.LinkRevoked)
      }
      json(res, 200, { docId, linkGeneration })
      return true
    }
    json(res, 405, { error: 'method not allowed' })
    return true
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}
