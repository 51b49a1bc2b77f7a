import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { appSettings } from '../../_server/config'
import { DocumentSession } from '../../_components/document/document-session'
import { verifyToken } from '../../../lib/tokens'

type Props = {
  params: Promise<{ docId: string }>
  searchParams: Promise<Record<string, string | string[] | undefined>>
}

// The token is in the URL: keep it out of Referer headers and search indexes.
export const metadata: Metadata = { referrer: 'no-referrer', robots: { index: false, follow: false } }

export default async function DocumentPage({ params, searchParams }: Props) {
  const { docId } = await params
  const { t } = await searchParams
  const token = typeof t === 'string' ? t : ''
  const { config, links } = appSettings()
  const claims = verifyToken(links.secret, docId, token)
  if (!claims) notFound()
  return <DocumentSession docId={docId} token={token} role={claims.role} syncUrl={config.syncUrl} />
}
