import type { IncomingMessage } from 'node:http'
import { Close } from '../lib/close-codes'
import { isDocId } from '../lib/doc-id'
import type { Role } from '../lib/roles'
import { type TokenClaims, verifyToken } from '../lib/tokens'
import type { DocStore } from './store/doc-store'

type CloseDef = (typeof Close)[keyof typeof Close]

export type Verdict =
  | { ok: true; docId: string; role: Role; generation: number }
  | { ok: false; close: CloseDef }

/** Verified tokens remembered; the oldest is forgotten first. */
const VERIFIED_TOKENS = 10_000

export type Authorize = (req: IncomingMessage) => Promise<Verdict>

/**
 * Decides at upgrade time, before any document data flows, who a connection is:
 * the document is the last path segment (y-websocket's room name), the capability is
 * the `token` query parameter. A token of an older link generation has been revoked.
 */
export function createAuthorizer(options: { secret: string; store: DocStore }): Authorize {
  // Everyone on a link presents the same token, and clients reconnect with theirs: a verified
  // token is remembered, so its HMAC is computed once, not once per connection.
  const verified = new Map<string, TokenClaims>()
  const claimsOf = (docId: string, token: string | null): TokenClaims | null => {
    const key = `${docId} ${token}`
    const known = verified.get(key)
    if (known) return known
    const claims = verifyToken(options.secret, docId, token)
    if (claims) {
      if (verified.size >= VERIFIED_TOKENS) verified.delete(verified.keys().next().value!)
      verified.set(key, claims)
    }
    return claims
  }
  return async (req) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const docId = decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1))
    if (!isDocId(docId)) return { ok: false, close: Close.Unauthorized }
    const claims = claimsOf(docId, url.searchParams.get('token'))
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
