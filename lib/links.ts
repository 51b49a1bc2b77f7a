import { signToken } from './tokens'

/** The JSON that `POST /api/docs` and `npm run cli -- create|links` print (PRODUCT.md). */
export type DocLinks = {
  id: string
  editUrl: string
  viewUrl: string
  sync: { url: string; editToken: string; viewToken: string }
}

export type LinkSettings = { publicUrl: string; syncUrl: string; secret: string }

export function docPath(docId: string, token: string): string {
  return `/d/${docId}?t=${encodeURIComponent(token)}`
}

export function docLinks(settings: LinkSettings, docId: string, generation = 0): DocLinks {
  const editToken = signToken(settings.secret, { docId, role: 'edit', generation })
  const viewToken = signToken(settings.secret, { docId, role: 'view', generation })
  const base = settings.publicUrl.replace(/\/+$/, '')
  return {
    id: docId,
    editUrl: base + docPath(docId, editToken),
    viewUrl: base + docPath(docId, viewToken),
    sync: { url: settings.syncUrl, editToken, viewToken },
  }
}
