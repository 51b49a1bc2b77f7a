import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Close } from '../lib/close-codes'
import { isDocId } from '../lib/doc-id'
import { adminKey } from '../lib/tokens'
import { backupLines } from './backup'
import type { Metrics } from './metrics'
import type { Rooms } from './rooms'
import { type DocStore, EMPTY_META } from './store/doc-store'

type Deps = { secret: string; store: DocStore; rooms: Rooms; metrics: Metrics; isReady: () => boolean }

/**
 * Plain HTTP: `GET /healthz`, `GET /metrics`, and the admin interface that local tools
 * (the web app, the CLI) use with `Authorization: Bearer <adminKey(SECRET)>`:
 *   GET    /admin/docs                       -> [{ docId, title, bytes, updatedAt }]
 *   GET    /admin/docs/<docId>               -> { docId, linkGeneration, updatedAt, title, bytes }
 *   POST   /admin/docs/<docId>/reset-links[?from=<generation>]
 *                                            -> { docId, linkGeneration } (old links revoked), or 409 if
 *                                               `from` is given and is no longer the current generation
 *   DELETE /admin/docs/<docId>               -> 204 (connections closed with 4404)
 *   GET    /admin/backup                     -> JSON lines (server/backup.ts)
 */
export function createHttpRoutes(deps: Deps) {
  const expectedAuth = Buffer.from(`Bearer ${adminKey(deps.secret)}`)
  const { store, rooms } = deps

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method === 'GET' && path === '/healthz') {
      const healthy = deps.isReady() && store.healthy
      json(res, healthy ? 200 : 503, { status: healthy ? 'ok' : 'unhealthy', store: store.healthy ? 'ok' : 'failing' })
      return true
    }
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': deps.metrics.registry.contentType }).end(await deps.metrics.registry.metrics())
      return true
    }
    if (!path.startsWith('/admin/')) return false
    const given = Buffer.from(req.headers.authorization ?? '')
    if (given.length !== expectedAuth.length || !timingSafeEqual(given, expectedAuth)) {
      json(res, 401, { error: 'unauthorized' })
      return true
    }

    if (req.method === 'GET' && path === '/admin/backup') {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' })
      for await (const line of backupLines(store, rooms)) {
        if (!res.write(line)) await new Promise((resolve) => res.once('drain', resolve))
      }
      res.end()
      return true
    }
    if (req.method === 'GET' && path === '/admin/docs') {
      const docs = []
      for await (const docId of store.listDocIds()) {
        const { title, bytes, updatedAt, deleted } = { ...EMPTY_META, ...(await store.getMeta(docId)) }
        if (!deleted) docs.push({ docId, title, bytes, updatedAt })
      }
      json(res, 200, docs)
      return true
    }

    const match = /^\/admin\/docs\/([^/]+)(\/reset-links)?$/.exec(path)
    if (!match) return false
    const [, docId, resetLinks] = match
    if (!isDocId(docId)) {
      json(res, 400, { error: 'invalid document id' })
      return true
    }
    if (req.method === 'GET' && !resetLinks) {
      json(res, 200, { docId, ...EMPTY_META, ...(await store.getMeta(docId)) })
    } else if (req.method === 'POST' && resetLinks) {
      const current = (await store.getMeta(docId))?.linkGeneration ?? 0
      // `?from=<generation>`: reset only if the caller's links are still the current ones, so two
      // people resetting at once do not revoke each other's fresh links.
      const from = new URL(req.url ?? '/', 'http://localhost').searchParams.get('from')
      if (from !== null && Number(from) !== current) {
        json(res, 409, { docId, linkGeneration: current })
        return true
      }
      // Durable before anyone is told: a restart must not bring the old links back.
      const { linkGeneration } = await store.updateMeta(docId, { linkGeneration: current + 1 })
      for (const conn of rooms.connectionsOf(docId)) {
        if (conn.generation !== linkGeneration) conn.close(Close.LinkRevoked)
      }
      json(res, 200, { docId, linkGeneration })
    } else if (req.method === 'DELETE' && !resetLinks) {
      await rooms.delete(docId)
      res.writeHead(204).end()
    } else {
      json(res, 405, { error: 'method not allowed' })
    }
    return true
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}
