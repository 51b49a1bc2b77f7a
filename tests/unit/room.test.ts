import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createLiveDoc, sweepOutdatedAwareness } from '../../server/room'

describe('a room', () => {
  it('forgets a client whose awareness state has not been renewed for 30 s, and only then', () => {
    const { awareness } = createLiveDoc('doc')
    const remote = new Awareness(new Y.Doc())
    remote.setLocalState({ user: { name: 'Ada' } })
    applyAwarenessUpdate(awareness, encodeAwarenessUpdate(remote, [remote.clientID]), 'peer')
    const lastUpdated = awareness.meta.get(remote.clientID)!.lastUpdated

    sweepOutdatedAwareness(awareness, lastUpdated + 29_000)
    expect(awareness.getStates().has(remote.clientID)).toBe(true)
    sweepOutdatedAwareness(awareness, lastUpdated + 30_000)
    expect(awareness.getStates().has(remote.clientID)).toBe(false)
    remote.destroy()
  })

})
