'use client'

import Link from 'next/link'
import { useEffect, useMemo, type ReactNode } from 'react'
import { ConnectionBadge } from '../connection/connection-badge'
import { useConnectionStatus } from '../connection/use-connection-status'
import { DocumentEditor } from '../editor/document-editor'
import { scrollToCaret } from '../editor/scroll-to-caret'
import { useCollabEditor } from '../editor/use-collab-editor'
import { IdentityForm } from '../presence/identity-form'
import { displayName, type LocalUser } from '../presence/local-user'
import { PresenceList } from '../presence/presence-list'
import { useLocalUser } from '../presence/use-local-user'
import { type Session, type SessionParams, isFinalStatus } from '../session/open-session'
import { useSession } from '../session/use-session'
import { ShareButton } from '../share/share-button'
import { SaveStatus } from '../status/save-status'

/** The document page's client island: one session, and the parts that show it. */
export function DocumentSession(params: SessionParams) {
  const session = useSession(params)
  const user = useLocalUser()
  if (!session || !user) return <Shell role={params.role} />
  return <LiveDocument session={session} user={user} />
}

function LiveDocument({ session, user }: { session: Session; user: LocalUser }) {
  const status = useConnectionStatus(session)
  // `role` lets the presence list show who is viewing rather than editing.
  const shared = useMemo(() => ({ name: displayName(user), color: user.color, role: session.role }), [user, session.role])
  useEffect(() => {
    session.provider.awareness.setLocalStateField('user', shared)
  }, [session, shared])
  const editor = useCollabEditor(session, shared)
  const editing = session.role === 'edit' && !isFinalStatus(status)

  return (
    <Shell
      role={session.role}
      badge={
        <>
          {editing && <SaveStatus saves={session.saves} />}
          <ConnectionBadge session={session} />
        </>
      }
      actions={editing && <ShareButton session={session} />}
    >
      <aside className="sidebar">
        <IdentityForm user={user} />
        <PresenceList
          awareness={session.provider.awareness}
          onLocate={(clientId) => editor && scrollToCaret(editor, session.provider.awareness, clientId)}
        />
      </aside>
      {status === 'link-invalid' ? (
        <div className="notice" role="alert">
          <h1>This link is no longer valid</h1>
          <p>Its links were reset, or the document was deleted. Ask whoever shared it for a new link.</p>
          <Link href="/">Go to your documents</Link>
        </div>
      ) : status === 'origin-refused' ? (
        <OriginRefused />
      ) : (
        <DocumentEditor session={session} editor={editor} />
      )}
    </Shell>
  )
}

/** The sync server refused the page's origin (4403): the link is fine, the address is not the configured one. */
function OriginRefused() {
  // Only ever rendered in the browser: the status comes from a closed socket.
  const origin = window.location.origin
  return (
    <div className="notice" role="alert">
      <h1>This address is not the server's</h1>
      <p>
        The sync server does not accept pages opened at <code>{origin}</code>. Open this link at the address cowrite is
        configured with (its <code>PUBLIC_URL</code>), or ask whoever runs it to add this address to{' '}
        <code>ALLOWED_ORIGINS</code>.
      </p>
    </div>
  )
}

type ShellProps = { role: SessionParams['role']; badge?: ReactNode; actions?: ReactNode; children?: ReactNode }

function Shell({ role, badge, actions, children }: ShellProps) {
  return (
    <div className="document">
      <header className="topbar">
        <Link href="/" className="brand">
          cowrite
        </Link>
        {role === 'view' && <span className="badge badge--view">View only</span>}
        {badge ?? <span className="badge badge--connecting">Connecting…</span>}
        {actions}
      </header>
      <main className="workspace">{children}</main>
    </div>
  )
}
