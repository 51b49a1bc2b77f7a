import { appSettings } from '../../../../_server/config'
import { authorizeEdit } from '../../../../_server/edit-access'
import { jsonError } from '../../../../_server/json-error'
import { LinksAlreadyReset, SyncUnavailable, resetLinkGeneration } from '../../../../_server/sync-admin'
import { docLinks } from '../../../../../lib/links'

type Context = { params: Promise<{ docId: string }> }

/**
 * `POST /api/docs/<docId>/reset-links` with `Authorization: Bearer <editToken>`: what the Share
 * dialog's "Reset links" does. The sync server stores the new generation, then closes every
 * connection of an older one with 4410; the answer is the new links JSON.
 */
export async function POST(request: Request, { params }: Context): Promise<Response> {
  const { docId } = await params
  const access = await authorizeEdit(request, docId)
  if (!access.ok) return access.response
  let generation: number
  try {
    generation = await resetLinkGeneration(docId, access.generation)
  } catch (error) {
    if (error instanceof LinksAlreadyReset) return jsonError(410, 'link-revoked')
    if (error instanceof SyncUnavailable) return jsonError(503, 'sync-unavailable')
    throw error
  }
  return Response.json(docLinks(appSettings().links, docId, generation), { headers: { 'Cache-Control': 'no-store' } })
}
