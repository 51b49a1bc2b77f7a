import { useEffect, useState } from 'react'
import type { DocLinks } from '../../../lib/links'
import type { Session } from '../session/open-session'
import { fetchLinks } from './share-api'

export type LinksState = { kind: 'loading' } | { kind: 'ready'; links: DocLinks } | { kind: 'failed'; message: string }

/** The document's current links, asked of the server each time the dialog opens (never stale after a reset). */
export function useShareLinks(session: Session): [LinksState, (links: DocLinks) => void] {
  const [state, setState] = useState<LinksState>({ kind: 'loading' })
  useEffect(() => {
    let current = true
    fetchLinks(session.docId, session.token()).then(
      (links) => current && setState({ kind: 'ready', links }),
      (error: Error) => current && setState({ kind: 'failed', message: error.message }),
    )
    return () => {
      current = false
    }
  }, [session])
  return [state, (links) => setState({ kind: 'ready', links })]
}
