import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { newDocId } from '../../lib/doc-id'
import type { Role } from '../../lib/roles'
import { signToken } from '../../lib/tokens'
import { TEST_SECRET } from './sync-process'

export function tokenFor(docId: string, role: Role, generation = 0, secret = TEST_SECRET): string {
  return signToken(secret, { docId, role, generation })
}

export type Client = { doc: Y.Doc; provider: WebsocketProvider; destroy(): void }

/**
 * The stock y-websocket client. BroadcastChannel is off: providers in one process would
 * otherwise sync with each other without the server.
 */
export function connect(url: string, docId: string, token: string | null, doc = new Y.Doc()): Client {
  const provider = new WebsocketProvider(url, docId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: token === null ? {} : { token },
    maxBackoffTime: 200,
  })
  return {
    doc,
    provider,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

export function synced(client: Client, timeoutMs = 10_000): Promise<void> {
  if (client.provider.synced) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('client did not sync in time')), timeoutMs)
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return
      clearTimeout(timer)
      client.provider.off('sync', onSync)
      resolve()
    }
    client.provider.on('sync', onSync)
  })
}

export { newDocId }
