import { useMemo, useSyncExternalStore } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { displayName } from './local-user'

export type Peer = { clientId: number; name: string; color: string; isSelf: boolean; isViewer: boolean }

/** Everyone with an awareness state on this document, viewers included; this browser first. */
export function usePeers(awareness: Awareness): readonly Peer[] {
  const store = useMemo(() => peerStore(awareness), [awareness])
  return useSyncExternalStore(store.subscribe, store.snapshot, noPeers)
}

const none: readonly Peer[] = []
const noPeers = () => none

function peerStore(awareness: Awareness) {
  let cached: { key: string; peers: readonly Peer[] } = { key: '', peers: none }
  return {
    subscribe(cb: () => void) {
      awareness.on('change', cb)
      return () => awareness.off('change', cb)
    },
    snapshot(): readonly Peer[] {
      const peers = readPeers(awareness)
      const key = JSON.stringify(peers)
      if (key !== cached.key) cached = { key, peers }
      return cached.peers
    },
  }
}

function readPeers(awareness: Awareness): Peer[] {
  const peers: Peer[] = []
  awareness.getStates().forEach((state, clientId) => {
    // `role` is what each browser says of itself; the sync server enforces the real one.
    const user: { name?: unknown; color?: unknown; role?: unknown } | undefined = state.user
    if (!user) return
    const color = typeof user.color === 'string' && /^#[0-9a-f]{6}$/i.test(user.color) ? user.color : '#868e96'
    peers.push({ clientId, name: displayName(user), color, isSelf: clientId === awareness.clientID, isViewer: user.role === 'view' })
  })
  return peers.sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name) || a.clientId - b.clientId)
}
