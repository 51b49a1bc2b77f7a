'use client'

import { useId } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { inkFor, initials } from './initials'
import { usePeers } from './use-peers'
import './presence.css'

type Props = { awareness: Awareness; onLocate?: (clientId: number) => void }

/** Everyone here as an avatar with initials; pressing one scrolls to that person's caret. */
export function PresenceList({ awareness, onLocate }: Props) {
  const peers = usePeers(awareness)
  const id = useId()
  return (
    <section className="presence" aria-label="People on this document">
      <h2>On this document</h2>
      <ul>
        {peers.map((peer) => (
          <li key={peer.clientId}>
            {/* Labelled by the name even where it shows only on hover (narrow screens). */}
            <button type="button" className="presence__person" aria-labelledby={`${id}-${peer.clientId}`} onClick={() => onLocate?.(peer.clientId)}>
              {/* Initials come from CSS (attr), so the item's text stays the person's name. */}
              <span className="avatar" style={{ backgroundColor: peer.color, color: inkFor(peer.color) }} data-initials={initials(peer.name)} aria-hidden />
              <span className="presence__name" id={`${id}-${peer.clientId}`}>
                {peer.name}
                {peer.isSelf && <span className="presence__you"> (you)</span>}
                {peer.isViewer && <span className="presence__role"> · viewing</span>}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
