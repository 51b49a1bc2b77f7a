import { appSettings } from '../../_server/config'
import { newDocId } from '../../../lib/doc-id'
import { docLinks } from '../../../lib/links'

export function POST(): Response {
  const links = docLinks(appSettings().links, newDocId())
  return Response.json(links, { status: 201, headers: { 'Cache-Control': 'no-store' } })
}
