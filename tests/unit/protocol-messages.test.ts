import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  MalformedMessage,
  decodeClientMessage,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  isEmptyUpdate,
} from '../../lib/protocol-messages'

describe('y-websocket messages', () => {
  it('round-trip every kind a client sends', () => {
    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'hi')
    const update = Y.encodeStateAsUpdate(doc)
    expect(decodeClientMessage(encodeSyncStep1(Y.encodeStateVector(doc)))).toEqual({ kind: 'sync-step1', stateVector: Y.encodeStateVector(doc) })
    expect(decodeClientMessage(encodeSyncStep2(update))).toEqual({ kind: 'sync-step2', update })
    expect(decodeClientMessage(encodeUpdate(update))).toEqual({ kind: 'update', update })
    expect(decodeClientMessage(encodeAwareness(new Uint8Array([1, 2])))).toEqual({ kind: 'awareness', update: new Uint8Array([1, 2]) })
    expect(decodeClientMessage(new Uint8Array([3]))).toEqual({ kind: 'query-awareness' })
  })

  it('rejects empty, truncated, overlong, unknown and trailing input', () => {
    const bad = [
      new Uint8Array([]),
      new Uint8Array([0]),
      new Uint8Array([0, 2, 10, 1]),
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
      new Uint8Array([0, 7, 0]),
      new Uint8Array([2, 0]),
      new Uint8Array([42]),
      new Uint8Array([3, 0]),
    ]
    for (const frame of bad) expect(() => decodeClientMessage(frame), String([...frame])).toThrow(MalformedMessage)
  })

  it('recognises the empty update a client sends when it has nothing new', () => {
    const a = new Y.Doc()
    a.getText('t').insert(0, 'x')
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))).toBe(true)
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(a))).toBe(false)
  })
})
