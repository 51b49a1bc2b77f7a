import type { IncomingMessage } from 'node:http'
import { Close } from '../lib/close-codes'
import { isDocId } from '../lib/doc-id'
import type { Role } from '../lib/roles'
import { verifyToken } from '../lib/tokens'
import type { DocStore } from './store/doc-store'

type CloseDef = (typeof Close)[keyof typeof Close]

export type Verdict =
  | { ok: true; docId: string; role: Role; generation: number }
  | { ok: false; close: CloseDef }

export type Authorize = (req: IncomingMessage) => Promise<Verdict>

/**
 * Decides at upgrade time, before any document data flows, who a connection is:
 * the document is the last path segment (y-websocket's room name), the capability is
 * the `token` query parameter. A token of an older link generation has been revoked.
 */
export function createAuthorizer(options: { secret: string; store: DocStore }): Authorize {
  return async (req) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const docId = decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1))
    if (!isDocId(docId)) return { ok: false, close: Close.Unauthorized }
    const claims = verifyToken(options.secret, docId, url.searchParams.get('token'))
    if (!claims) return { ok: false, close: Close.Unauthorized }
    let meta
    try {
      meta = await options.store.getMeta(docId)
    } catch {
      return { ok: false, close: Close.Internal }
    }
    if (meta?.deleted) return { ok: false, close: Close.Deleted }
    const current = meta?.linkGeneration ?? 0
    if (claims.generation !== current) return { ok: false, close: claims.generation < current ? Close.LinkRevoked : Close.Unauthorized }
    return { ok: true, docId, role: claims.role, generation: claims.generation }
  }
}
