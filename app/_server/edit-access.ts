import { verifyToken } from '../../lib/tokens'
import { appSettings } from './config'
import { jsonError } from './json-error'
import { SyncUnavailable, linkGeneration } from './sync-admin'

export type EditAccess = { ok: true; generation: number } | { ok: false; response: Response }

/**
 * Managing a document's links takes a current edit token, sent as `Authorization: Bearer <token>`:
 * never in the URL, which proxies and access logs record. A view token, a forged one, or one from
 * before a reset gets a JSON error and nothing else.
 */
export async function authorizeEdit(request: Request, docId: string): Promise<EditAccess> {
  const token = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1]
  const claims = verifyToken(appSettings().links.secret, docId, token)
  if (!claims) return refuse(401, 'unauthorized')
  if (claims.role !== 'edit') return refuse(403, 'view-only')
  let current: number
  try {
    current = await linkGeneration(docId)
  } catch (error) {
    if (error instanceof SyncUnavailable) return refuse(503, 'sync-unavailable')
    throw error
  }
  if (claims.generation < current) return refuse(410, 'link-revoked')
  if (claims.generation > current) return refuse(401, 'unauthorized')
  return { ok: true, generation: current }
}

function refuse(status: number, error: string): EditAccess {
  return { ok: false, response: jsonError(status, error) }
}
