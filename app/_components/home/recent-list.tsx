'use client'

import Link from 'next/link'
import { removeRecent } from '../recent/recent-documents'
import { useRecentDocuments } from '../recent/use-recent-documents'
import { UNTITLED } from '../title/use-title'
import { relativeTime } from './relative-time'
import './home.css'

/** The documents opened in this browser, newest first; each can be taken off the list. */
export function RecentList() {
  const recent = useRecentDocuments()
  if (recent === null) return null
  const now = Date.now()
  return (
    <section className="recent" aria-labelledby="recent-heading">
      <h2 id="recent-heading">Recent documents</h2>
      {recent.length === 0 ? (
        <p className="recent__empty">
          Nothing here yet. Documents you create or open in this browser are listed here, so you can find them again.
        </p>
      ) : (
        <ul className="recent__list">
          {recent.map((doc) => {
            const title = doc.title.trim() || UNTITLED
            return (
              <li key={doc.docId} className="recent__item">
                <Link href={doc.path} className="recent__link">
                  <span className={doc.title.trim() ? 'recent__title' : 'recent__title recent__title--untitled'}>{title}</span>
                  <span className="recent__meta">
                    Opened <time dateTime={new Date(doc.openedAt).toISOString()}>{relativeTime(doc.openedAt, now)}</time>
                    {doc.role === 'view' && ' · view only'}
                  </span>
                </Link>
                <button
                  type="button"
                  className="recent__remove"
                  aria-label={`Remove “${title}” from this list`}
                  title="Remove from this list (the document itself stays)"
                  onClick={() => removeRecent(doc.docId)}
                >
                  ×
                </button>
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
