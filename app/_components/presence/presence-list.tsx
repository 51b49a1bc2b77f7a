'use client'

import type { Awareness } from 'y-protocols/awareness'
import { usePeers } from './use-peers'

export function PresenceList({ awareness }: { awareness: Awareness }) {
  const peers = usePeers(awareness)
  return (
    <section className="presence" aria-label="People on this document">
      <h2>On this document</h2>
      <ul>
        {peers.map((peer) => (
          <li key={peer.clientId}>
            <span className="presence__dot" style={{ backgroundColor: peer.color }} aria-hidden />
            {peer.name}
            {peer.isSelf && <span className="presence__you"> (you)</span>}
            {peer.isViewer && <span className="presence__role"> · viewing</span>}
          </li>
        ))}
      </ul>
    </section>
  )
}
