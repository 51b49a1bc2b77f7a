import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { mergeUpdates } from '../../lib/merge-updates'

/** Two writers typing into one text, one update per keystroke, interleaved. */
function typingUpdates(count: number): { updates: Uint8Array[]; text: string } {
  const a = new Y.Doc()
  const b = new Y.Doc()
  const updates: Uint8Array[] = []
  a.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === 'peer') return
    updates.push(update)
    Y.applyUpdate(b, update, 'peer')
  })
  b.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === 'peer') return
    updates.push(update)
    Y.applyUpdate(a, update, 'peer')
  })
  for (let i = 0; i < count; i++) {
    const doc = i % 3 === 0 ? b : a
    const text = doc.getText('t')
    if (i % 7 === 6) text.delete(Math.floor(text.length / 2), 1)
    else text.insert(i % 5 === 0 ? 0 : text.length, String.fromCharCode(97 + (i % 26)))
  }
  return { updates, text: a.getText('t').toString() }
}

describe('mergeUpdates', () => {
  it('gives the bytes of Y.mergeUpdates for a group that fits one call', () => {
    const { updates } = typingUpdates(30)
    expect(mergeUpdates(updates)).toEqual(Y.mergeUpdates(updates))
  })

  it('merges thousands of updates into one that gives the same document', () => {
    const { updates, text } = typingUpdates(5_000)
    const merged = mergeUpdates(updates)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, merged)
    expect(doc.getText('t').toString()).toBe(text)
    expect(Y.encodeStateVectorFromUpdate(merged)).toEqual(Y.encodeStateVector(doc))
    expect(doc.getText('t').length).toBeGreaterThan(1_000)
  })

  it('returns a lone update as it is', () => {
    const { updates } = typingUpdates(1)
    expect(mergeUpdates(updates)).toBe(updates[0])
  })
})
