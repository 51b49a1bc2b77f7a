import { useEffect, useRef } from 'react'
import type { Session } from '../session/open-session'
import { recordVisit, updateRecentTitle } from './recent-documents'

/** Opening a document puts it first on the home page's list; its title there follows the document's. */
export function useRecordVisit(session: Session, title: string): void {
  // The first render's title is the empty document's, before this device's copy or the server's arrives.
  const initial = useRef(title)
  useEffect(() => {
    recordVisit({ docId: session.docId, path: window.location.pathname + window.location.search, role: session.role })
  }, [session])
  useEffect(() => {
    if (title !== initial.current) updateRecentTitle(session.docId, title)
  }, [session, title])
}
