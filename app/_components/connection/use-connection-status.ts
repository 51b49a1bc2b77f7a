import { useSyncExternalStore } from 'react'
import type { ConnectionStatus, Session } from '../session/open-session'

export function useConnectionStatus(session: Session): ConnectionStatus {
  return useSyncExternalStore(session.onStatus, session.status, () => 'connecting')
}
