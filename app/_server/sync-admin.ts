import { adminKey } from '../../lib/tokens'
import { appSettings } from './config'

/** The sync server could not be asked (down, or it answered with an error). */
export class SyncUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'SyncUnavailable'
  }
}

/**
 * The web app's client of the sync server's admin interface (server/http-routes.ts), reached at
 * SYNC_INTERNAL_URL with a key derived from the secret. The sync server owns link generations:
 * it stores them and revokes open connections, so the web app never caches one.
 */
/** Someone else reset the links first: the caller's generation is no longer current. */
export class LinksAlreadyReset extends Error {
  constructor() {
    super('the links were reset by someone else first')
    this.name = 'LinksAlreadyReset'
  }
}

async function admin(method: 'GET' | 'POST', path: string): Promise<{ linkGeneration: number }> {
  const { config, links } = appSettings()
  let response: Response
  try {
    response = await fetch(`${config.syncInternalUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey(links.secret)}` },
      cache: 'no-store',
      signal: AbortSignal.timeout(10_000),
    })
  } catch (error) {
    throw new SyncUnavailable(`cannot reach the sync server at ${config.syncInternalUrl}`, { cause: error })
  }
  if (response.status === 409) throw new LinksAlreadyReset()
  if (!response.ok) throw new SyncUnavailable(`the sync server answered ${response.status} to ${method} ${path.split('/').slice(0, 3).join('/')}`)
  return (await response.json()) as { linkGeneration: number }
}

/** The document's current link generation (0 for a document that never had its links reset). */
export async function linkGeneration(docId: string): Promise<number> {
  return (await admin('GET', `/admin/docs/${docId}`)).linkGeneration
}

/** Revokes every link of the document, open connections included; resolves with the new generation once it is stored. */
export async function resetLinkGeneration(docId: string, from: number): Promise<number> {
  return (await admin('POST', `/admin/docs/${docId}/reset-links?from=${from}`)).linkGeneration
}
