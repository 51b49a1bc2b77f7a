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
    const target = targetOf(req.url ?? '/')
    if (!target || !isDocId(target.docId)) return { ok: false, close: Close.Unauthorized }
    const { docId, token } = target
    const claims = claimsOf(docId, token)
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

/**
 * The document (the path's last segment) and the `token` query parameter of an upgrade request's
 * target, or null when the path cannot be decoded. Read from the raw target, never thrown on:
 * `new URL()` throws on a target such as `//a:b/…` (taken for a host with a bad port) and
 * `decodeURIComponent` on a malformed escape, and either, thrown here, would fail the admission.
 */
function targetOf(requestTarget: string): { docId: string; token: string | null } | null {
  const query = requestTarget.indexOf('?')
  const path = query < 0 ? requestTarget : requestTarget.slice(0, query)
  let docId: string
  try {
    docId = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1))
  } catch {
    return null
  }
  return { docId, token: query < 0 ? null : new URLSearchParams(requestTarget.slice(query + 1)).get('token') }
}
