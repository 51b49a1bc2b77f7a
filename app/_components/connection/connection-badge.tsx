'use client'

import type { Session } from '../session/open-session'
import { useConnectionStatus } from './use-connection-status'

const LABELS = {
  connecting: 'Connecting…',
  connected: 'Connected',
  offline: 'Offline',
  'link-invalid': 'Disconnected',
  'origin-refused': 'Disconnected',
} as const

export function ConnectionBadge({ session }: { session: Session }) {
  const status = useConnectionStatus(session)
  return (
    <span className={`badge badge--${status}`} role="status" aria-label="Connection">
      {LABELS[status]}
    </span>
  )
}
