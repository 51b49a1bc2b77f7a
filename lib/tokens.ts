import { createHmac, timingSafeEqual } from 'node:crypto'
import { isDocId } from './doc-id'
import type { Role } from './roles'

/**
 * A token is a capability for one document and one role:
 *   `<e|v>.<generation>.<base64url HMAC-SHA256(secret, "cowrite/v1|docId|role|generation")>`
 * The signature covers the role, so a view token cannot be turned into an edit token,
 * and the generation, so resetting a document's links (generation + 1) revokes the old ones.
 */
export type TokenClaims = { docId: string; role: Role; generation: number }

const ROLE_CHAR: Record<Role, string> = { edit: 'e', view: 'v' }
const TOKEN = /^([ev])\.(0|[1-9][0-9]{0,8})\.([A-Za-z0-9_-]{43})$/

function signature(secret: string, docId: string, role: Role, generation: number): Buffer {
  return createHmac('sha256', secret).update(`cowrite/v1|${docId}|${role}|${generation}`).digest()
}

export function signToken(secret: string, claims: TokenClaims): string {
  const sig = signature(secret, claims.docId, claims.role, claims.generation).toString('base64url')
  return `${ROLE_CHAR[claims.role]}.${claims.generation}.${sig}`
}

/** Claims of a well-formed token whose signature is valid for `docId`, or null. Constant-time on the signature. */
export function verifyToken(secret: string, docId: string, token: unknown): TokenClaims | null {
  if (!isDocId(docId) || typeof token !== 'string') return null
  const match = TOKEN.exec(token)
  if (!match) return null
  const role: Role = match[1] === 'e' ? 'edit' : 'view'
  const generation = Number(match[2])
  const given = Buffer.from(match[3], 'base64url')
  const expected = signature(secret, docId, role, generation)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
  return { docId, role, generation }
}

/** A key, derived from the secret, that local tools present to the sync server's admin interface. */
export function adminKey(secret: string): string {
  return createHmac('sha256', secret).update('cowrite/v1|admin').digest('base64url')
}
