'use client'

import { useId } from 'react'
import { docPath } from '../../../lib/links'
import type { Session } from '../session/open-session'
import { CopyLink } from './copy-link'
import { ResetLinks } from './reset-links'
import { useModalDialog } from './use-modal-dialog'
import { useShareLinks } from './use-share-links'

/** Copy the edit or view link, or reset both. Only an edit session opens it. */
export function ShareDialog({ session, onClose }: { session: Session; onClose: () => void }) {
  const { ref, onKeyDown } = useModalDialog(onClose)
  const [links, replaceLinks] = useShareLinks(session)
  const titleId = useId()
  const ready = links.kind === 'ready' ? links.links : null

  return (
    <dialog ref={ref} className="dialog share" aria-labelledby={titleId} onKeyDown={onKeyDown}>
      <h2 id={titleId}>Share this document</h2>
      <p className="share__intro">A link is a key: whoever has it gets what it grants, without signing in.</p>
      {/* Keyed by the link, so a "Copied" from before a reset does not stand beside the new one. */}
      <CopyLink
        key={ready?.editUrl}
        label="Edit link"
        grants="Anyone with this link can read and change the document, share it, and reset its links."
        url={ready?.editUrl ?? null}
      />
      <CopyLink
        key={ready?.viewUrl}
        label="View link"
        grants="Anyone with this link can read the document and see who is here, but cannot change it."
        url={ready?.viewUrl ?? null}
      />
      {links.kind === 'failed' && (
        <p role="alert" className="share__error">
          Could not load the links: {links.message}
        </p>
      )}
      <ResetLinks
        session={session}
        onReset={(fresh) => {
          replaceLinks(fresh)
          // This tab now works through the new edit link; a reload must not bring back the old one.
          window.history.replaceState(null, '', docPath(session.docId, fresh.sync.editToken))
        }}
      />
      <div className="share__footer">
        <button type="button" className="button button--quiet" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  )
}
