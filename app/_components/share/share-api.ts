import type { DocLinks } from '../../../lib/links'

/**
 * The web app's link routes, called with the edit token in the Authorization header (never in
 * the URL, where proxies and logs would keep it).
 */
export async function fetchLinks(docId: string, token: string): Promise<DocLinks> {
  return call('GET', `/api/docs/${docId}/links`, token)
}

/** New edit and view links; the old ones stop working at once, open connections included. */
export async function resetLinks(docId: string, token: string): Promise<DocLinks> {
  return call('POST', `/api/docs/${docId}/reset-links`, token)
}

const MESSAGES: Record<number, string> = {
  403: 'A view link cannot share or reset links.',
  410: 'This link is no longer valid: the links were reset.',
  503: 'The sync server cannot be reached. Try again in a moment.',
}

async function call(method: 'GET' | 'POST', path: string, token: string): Promise<DocLinks> {
  const response = await fetch(path, { method, headers: { authorization: `Bearer ${token}` }, cache: 'no-store' })
  if (!response.ok) throw new Error(MESSAGES[response.status] ?? `The server answered ${response.status}.`)
  return (await response.json()) as DocLinks
}
