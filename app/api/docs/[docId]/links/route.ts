import { appSettings } from '../../../../_server/config'
import { authorizeEdit } from '../../../../_server/edit-access'
import { docLinks } from '../../../../../lib/links'

type Context = { params: Promise<{ docId: string }> }

/** `GET /api/docs/<docId>/links` with `Authorization: Bearer <editToken>`: the document's current links. */
export async function GET(request: Request, { params }: Context): Promise<Response> {
  const { docId } = await params
  const access = await authorizeEdit(request, docId)
  if (!access.ok) return access.response
  return Response.json(docLinks(appSettings().links, docId, access.generation), { headers: { 'Cache-Control': 'no-store' } })
}
