import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { isFatalClose } from '../../../lib/close-codes'
import type { Role } from '../../../lib/roles'

export type SessionParams = { docId: string; token: string; role: Role; syncUrl: string }

/** 'offline' sticks through the provider's retries until a connection opens again. */
export type ConnectionStatus = 'connecting' | 'connected' | 'offline' | 'link-invalid'

export type Session = {
  readonly ydoc: Y.Doc
  readonly provider: WebsocketProvider
  readonly role: Role
  status(): ConnectionStatus
  onStatus(cb: () => void): () => void
  destroy(): void
}

export function openSession({ docId, token, role, syncUrl }: SessionParams): Session {
  const ydoc = new Y.Doc()
  const provider = new WebsocketProvider(syncUrl, docId, ydoc, {
    params: { token },
    // Another tab of this browser may hold an edit link of the same document; over
    // BroadcastChannel a view tab's changes would merge into it and reach the server as edits.
    disableBc: role === 'view',
    // y-websocket gives up on every 44xx close; ours asks for a retry on some (too slow, rate limited).
    shouldReconnect: (event) => !isFatalClose(event.code),
  })
  const listeners = new Set<() => void>()
  let current: ConnectionStatus = 'connecting'
  const set = (next: ConnectionStatus) => {
    if (current === next || current === 'link-invalid') return
    current = next
    for (const cb of listeners) cb()
  }

  provider.on('status', ({ status }) => {
    if (status === 'connected') set('connected')
    else if (status === 'disconnected') set('offline')
    else if (current !== 'offline') set('connecting')
  })
  provider.on('connection-close', (event) => {
    // `event` is null when the client closed the socket itself.
    if (event && isFatalClose(event.code)) {
      provider.disconnect()
      set('link-invalid')
    } else if (event) {
      set('offline')
    }
  })

  return {
    ydoc,
    provider,
    role,
    status: () => current,
    onStatus(cb) {
      listeners.add(cb)
      return () => {
        listeners.delete(cb)
      }
    },
    destroy() {
      listeners.clear()
      provider.destroy()
      ydoc.destroy()
    },
  }
}
