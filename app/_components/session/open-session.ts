import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { Close, isFatalClose } from '../../../lib/close-codes'
import type { Role } from '../../../lib/roles'
import { openLocalCopy } from './local-copy'
import { watchNetwork } from './network-watch'
import { deferUpdates } from './outbox'
import { type SaveTracker, trackSaves } from './save-tracker'

export type SessionParams = { docId: string; token: string; role: Role; syncUrl: string }

/** 'offline' sticks through the provider's retries until a connection opens again. */
/**
 * 'link-invalid': the link was reset or the document deleted; 'origin-refused': the sync server does
 * not accept this page's address (not PUBLIC_URL or ALLOWED_ORIGINS). Both are final.
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'offline' | 'link-invalid' | 'origin-refused'

/** A status after which this page cannot reach the document again. */
export function isFinalStatus(status: ConnectionStatus): boolean {
  return status === 'link-invalid' || status === 'origin-refused'
}

export type Session = {
  readonly ydoc: Y.Doc
  readonly provider: WebsocketProvider
  readonly docId: string
  readonly role: Role
  /** Whether this browser's edits are stored by the server, or at least on this device. */
  readonly saves: SaveTracker
  /** The token this session connects with; it changes when this browser resets the links. */
  token(): string
  /**
   * "Reset links" from this browser: the socket is closed first, so the server's revocation of the
   * old token is not taken for someone else's reset; `reset` gets the current token and resolves
   * with the new one. The Y.Doc stays, so what is typed meanwhile goes out on the new connection.
   * If `reset` fails, the session reconnects with the token it had.
   */
  relink(reset: (token: string) => Promise<string>): Promise<void>
  status(): ConnectionStatus
  onStatus(cb: () => void): () => void
  destroy(): void
}

export function openSession({ docId, token, role, syncUrl }: SessionParams): Session {
  const ydoc = new Y.Doc()
  // Before the provider: the page shows this device's copy without waiting for the server.
  const localCopy = openLocalCopy(docId, ydoc)
  const provider = new WebsocketProvider(syncUrl, docId, ydoc, {
    params: { token },
    // Another tab of this browser may hold an edit link of the same document; over
    // BroadcastChannel a view tab's changes would merge into it and reach the server as edits.
    disableBc: role === 'view',
    // y-websocket gives up on every 44xx close; ours asks for a retry on some (too slow, rate limited).
    shouldReconnect: (event) => !isFatalClose(event.code),
  })
  const outbox = deferUpdates(ydoc, provider)
  const saves = trackSaves(ydoc, provider, localCopy, outbox)
  const unwatchNetwork = watchNetwork(provider)
  // A document deleted on the server must not come back from this device's copy.
  provider.on('connection-close', (event) => event?.code === Close.Deleted.code && localCopy.clear())
  const listeners = new Set<() => void>()
  let current: ConnectionStatus = 'connecting'
  let destroyed = false
  const set = (next: ConnectionStatus) => {
    if (current === next || isFinalStatus(current)) return
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
      set(event.code === Close.ForbiddenOrigin.code ? 'origin-refused' : 'link-invalid')
    } else if (event) {
      set('offline')
    }
  })

  return {
    ydoc,
    provider,
    docId,
    role,
    saves,
    token: () => provider.params.token,
    async relink(reset) {
      provider.disconnect()
      set('connecting')
      try {
        const token = await reset(provider.params.token)
        provider.params = { ...provider.params, token }
      } finally {
        if (!destroyed) provider.connect()
      }
    },
    status: () => current,
    onStatus(cb) {
      listeners.add(cb)
      return () => {
        listeners.delete(cb)
      }
    },
    destroy() {
      destroyed = true
      listeners.clear()
      unwatchNetwork()
      saves.destroy()
      localCopy.destroy()
      outbox.destroy()
      provider.destroy()
      ydoc.destroy()
    },
  }
}
