import { Awareness, outdatedTimeout, removeAwarenessStates } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { ClientMessage } from '../lib/protocol-messages'
import { type Connection, STORE_ORIGIN } from './connection'

/** A document being served: loading from the store, or live in memory. */
export type Phase =
  | { state: 'loading'; queue: Array<[Connection, ClientMessage]> }
  | { state: 'live'; doc: Y.Doc; awareness: Awareness }
  | { state: 'closed' }

export type Live = Extract<Phase, { state: 'live' }>

export class Room {
  phase: Phase = { state: 'loading', queue: [] }
  /**
   * The compacted state the document was loaded with, not applied to its Y.Doc yet: joiners,
   * compaction and backups take these bytes (`encodeState`, `encodeStateVector`), and the server
   * applies them only when an edit arrives (`materialize`). A reader's cold load costs no apply.
   */
  unapplied: Uint8Array | null = null
  /** The state vector of `unapplied` as the store recorded it at compaction, when it did. */
  unappliedStateVector: Uint8Array | undefined = undefined
  readonly conns = new Set<Connection>()
  unloadTimer: NodeJS.Timeout | undefined
  /** Sync step 2 carrying the whole document, shared by every joiner until the next change. */
  fullStateMessage: Uint8Array | null = null
  /** Sync step 1 with the document's state vector, shared by every joiner until the next change. */
  stateVectorMessage: Uint8Array | null = null
  /** Size of the last state written by compaction; the log may grow to twice that before the next. */
  compactedBytes = 0
  compactionQueued = false
  appendsSinceCompaction = 0
  lastAppendAt = 0
  /** The title last written to the document's metadata. */
  storedTitle = ''
  /** The document's `meta` map changed since the title was last compared (an observer sets it). */
  titleTouched = false
  /** Updates applied this tick, relayed and persisted together once the tick's input is read. */
  outbox: Uint8Array[] = []
  /** The frame of the outbox's update when it holds one that came as a sync update message. */
  outboxFrame: Uint8Array | undefined
  outboxOrigins = new Set<Connection>()
  outboxSince = 0
  /** Awareness clients changed since the last awareness broadcast. */
  awarenessDirty = new Set<number>()
  awarenessTimer: NodeJS.Timeout | undefined
  awarenessSentAt = 0

  constructor(readonly docId: string) {}

  /** Sends the same bytes to every connection but `except`. */
  broadcast(message: Uint8Array, except?: Connection): void {
    // As a Buffer, `ws` sends the same bytes to every peer without wrapping them once per send.
    const bytes = Buffer.from(message.buffer, message.byteOffset, message.byteLength)
    for (const conn of this.conns) if (conn !== except) conn.send(bytes)
  }
}

/** The room's document with everything it was loaded with applied. */
export function materialize(room: Room, live: Live): Y.Doc {
  if (room.unapplied) {
    applyStored(live.doc, room.unapplied)
    room.unapplied = null
    room.unappliedStateVector = undefined
    room.storedTitle = titleOf(live.doc)
  }
  return live.doc
}

/**
 * Applies stored bytes to the server's copy. Structs in them that still wait for others can only
 * have been stored before updates leaving anything pending were refused (protocol.ts); they are
 * dropped, as otherwise every edit would be refused for them.
 */
export function applyStored(doc: Y.Doc, ...updates: Uint8Array[]): void {
  for (const update of updates) Y.applyUpdate(doc, update, STORE_ORIGIN)
  doc.store.pendingStructs = null
  doc.store.pendingDs = null
}

/**
 * The document's whole state as one update, or what a client with `stateVector` lacks; taken
 * from the stored bytes while they are not applied, so answering does not materialize.
 */
export function encodeState(room: Room, live: Live, stateVector?: Uint8Array): Uint8Array {
  if (room.unapplied) return stateVector ? Y.diffUpdate(room.unapplied, stateVector) : room.unapplied
  return Y.encodeStateAsUpdate(live.doc, stateVector)
}

/**
 * The document's state vector. While the stored bytes are not applied: the one the store recorded
 * with them, else read from them (which decodes every struct: tens of milliseconds for a long
 * document, on the path of the cold load the lazy load is for).
 */
export function encodeStateVector(room: Room, live: Live): Uint8Array {
  if (room.unapplied) return room.unappliedStateVector ?? Y.encodeStateVectorFromUpdate(room.unapplied)
  return Y.encodeStateVector(live.doc)
}

export function titleOf(doc: Y.Doc): string {
  const title = doc.getMap('meta').get('title')
  return typeof title === 'string' ? title : ''
}

export function createLiveDoc(docId: string): { doc: Y.Doc; awareness: Awareness } {
  // The document id as guid: Yjs would otherwise draw a random UUID per document.
  const doc = new Y.Doc({ gc: true, guid: docId })
  const awareness = new Awareness(doc)
  // The server is not a participant: it publishes no awareness state of its own.
  awareness.setLocalState(null)
  // Each Awareness checks for silent clients on its own 3 s timer; Rooms sweeps every room
  // with one timer instead (sweepOutdatedAwareness), so a thousand idle documents cost no wake-ups.
  clearInterval((awareness as unknown as { _checkInterval: NodeJS.Timeout })._checkInterval)
  return { doc, awareness }
}

/**
 * What each Awareness's own timer would do on the server, whose local state is null: forget
 * clients that have not renewed their state within y-protocols' timeout (30 s).
 */
export function sweepOutdatedAwareness(awareness: Awareness, now = Date.now()): void {
  const outdated: number[] = []
  for (const [clientId, meta] of awareness.meta) {
    if (now - meta.lastUpdated >= outdatedTimeout && awareness.states.has(clientId)) outdated.push(clientId)
  }
  if (outdated.length > 0) removeAwarenessStates(awareness, outdated, 'timeout')
}
