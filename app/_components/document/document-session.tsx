'use client'

import Link from 'next/link'
import { useEffect, useMemo, type ReactNode } from 'react'
import { ConnectionBadge } from '../connection/connection-badge'
import { useConnectionStatus } from '../connection/use-connection-status'
import { CollabEditor } from '../editor/collab-editor'
import { IdentityForm } from '../presence/identity-form'
import { displayName, type LocalUser } from '../presence/local-user'
import { PresenceList } from '../presence/presence-list'
import { useLocalUser } from '../presence/use-local-user'
import type { Session, SessionParams } from '../session/open-session'
import { useSession } from '../session/use-session'
import { ShareButton } from '../share/share-button'

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

  return (
    <Shell
      role={session.role}
      badge={<ConnectionBadge session={session} />}
      actions={session.role === 'edit' && status !== 'link-invalid' && <ShareButton session={session} />}
    >
      <aside className="sidebar">
        <IdentityForm user={user} />
        <PresenceList awareness={session.provider.awareness} />
      </aside>
      {status === 'link-invalid' ? (
        <div className="notice" role="alert">
          <h1>This link is no longer valid</h1>
          <p>Its links were reset, or the document was deleted. Ask whoever shared it for a new link.</p>
        </div>
      ) : (
        <CollabEditor session={session} user={shared} editable={session.role === 'edit'} />
      )}
    </Shell>
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
