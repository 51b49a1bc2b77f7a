import * as decoding from 'lib0/decoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import {
  type ClientMessage,
  encodeAwareness,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  isEmptyStateVector,
  isEmptyUpdate,
} from '../lib/protocol-messages'
import type { Connection, UpdateOrigin } from './connection'
import { type Live, type Room, encodeState, encodeStateVector, materialize } from './room'

/** The messages answered from the room's document alone (save requests need the store: rooms.ts). */
export type DocMessage = Exclude<ClientMessage, { kind: 'save-request' }>

/**
 * A client's awareness state (its name, colour and caret, as JSON) may be this large. Every joiner
 * is greeted with all the states in one message, and it must stay far below MAX_BUFFERED_BYTES:
 * a few states of megabytes, each under MAX_MESSAGE_BYTES, had every joiner dropped as too slow.
 */
export const MAX_AWARENESS_STATE_BYTES = 8 * 1024

/** The byte length of the largest state in an awareness update; throws on a malformed one. */
function largestAwarenessState(update: Uint8Array): number {
  const decoder = decoding.createDecoder(update)
  let largest = 0
  for (let states = decoding.readVarUint(decoder); states > 0; states--) {
    decoding.readVarUint(decoder) // client id
    decoding.readVarUint(decoder) // clock
    const bytes = decoding.readVarUint(decoder) // the state's JSON, a varString
    decoding.readUint8Array(decoder, bytes)
    largest = Math.max(largest, bytes)
  }
  return largest
}

/** A message that decoded but that Yjs could not apply (garbage update, bad state vector). */
export class RejectedMessage extends Error {
  /** Yjs may have changed the room's document before refusing it (rooms.ts reloads the room then). */
  readonly touched: boolean

  constructor(kind: string, options: { cause: unknown; touched?: boolean }) {
    super(`${kind} could not be applied`, options)
    this.name = 'RejectedMessage'
    this.touched = options.touched ?? false
  }
}

/** What the server sends a connection when it joins a live room: its state vector, then who is here. */
export function greet(room: Room, live: Live, conn: Connection): void {
  room.stateVectorMessage ??= encodeSyncStep1(encodeStateVector(room, live))
  conn.send(room.stateVectorMessage)
  const clients = [...live.awareness.getStates().keys()]
  if (clients.length > 0) conn.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(live.awareness, clients)))
}

/**
 * Applies one client message to a live room, answering the sender where the protocol says so.
 * Returns the document update it applied, which the caller relays and persists as received:
 * Yjs accepted those exact bytes, so re-encoding them from the transaction would only cost time.
 * Throws RejectedMessage when the content is invalid.
 */
export function handleMessage(room: Room, live: Live, conn: Connection, message: DocMessage): Uint8Array | null {
  switch (message.kind) {
    case 'sync-step1':
      conn.send(syncStep2For(room, live, message.stateVector))
      return null
    case 'sync-step2':
    case 'update':
      if (isEmptyUpdate(message.update)) return null
      if (conn.role !== 'edit') {
        // A viewer's client answers our step 1 with an empty step 2; anything more is an edit attempt.
        conn.send(encodePermissionDenied('view-only'))
        return null
      }
      let decoded: DecodedUpdate
      try {
        // Yjs's apply accepts some structs that its other readers (merge, diff, state vector of an
        // update) throw on, and those run later on this update's bytes, relaying and storing it:
        // it must read with both. The whole update is read first, structs and delete set, so that
        // garbage is refused here, before the document is even materialized.
        decoded = Y.decodeUpdate(message.update)
      } catch (cause) {
        throw new RejectedMessage('update', { cause })
      }
      // Outside the try: a stored state that cannot be applied is the server's fault, not this update's.
      const doc = materialize(room, live)
      // Structs that wait for others the server does not have are checked only once those come,
      // and can then throw part-way through a later, valid update (another client's edit refused,
      // this copy changed): refused. A client that sends them by a race (an edit on a change it
      // had from another tab, before that tab's own update reached the server) sends them again
      // complete when it reconnects.
      if (waitsForMissing(doc, decoded)) throw new RejectedMessage('update with missing dependencies', { cause: null })
      try {
        Y.applyUpdate(doc, message.update, { source: 'peer', conn } satisfies UpdateOrigin)
      } catch (cause) {
        throw new RejectedMessage('update', { cause, touched: true })
      }
      // The same, for dependency orders waitsForMissing does not follow: applied in part, refused.
      if (doc.store.pendingStructs || doc.store.pendingDs) throw new RejectedMessage('update with missing dependencies', { cause: null, touched: true })
      return message.update
    case 'awareness':
      try {
        // Only an update larger than the cap can hold a state larger than it (a caret move is ~100 bytes).
        if (message.update.byteLength > MAX_AWARENESS_STATE_BYTES && largestAwarenessState(message.update) > MAX_AWARENESS_STATE_BYTES) {
          throw new Error('an awareness state is too large')
        }
        awarenessProtocol.applyAwarenessUpdate(live.awareness, message.update, conn)
      } catch (cause) {
        throw new RejectedMessage('awareness update', { cause })
      }
      return null
    case 'query-awareness': {
      const clients = [...live.awareness.getStates().keys()]
      conn.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(live.awareness, clients)))
      return null
    }
    default: {
      const exhaustive: never = message
      throw new Error(`unhandled message ${JSON.stringify(exhaustive)}`)
    }
  }
}

type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>

/**
 * Whether Yjs would keep some of an update waiting, unapplied, for what the document does not
 * have: a client's structs that start past what the document and the update before them hold, an
 * item whose neighbours or parent are not there, a deletion of what is not there. Read from the
 * decoded update before it is applied, so that such an update is refused having changed nothing.
 */
export function waitsForMissing(doc: Y.Doc, { structs, ds }: DecodedUpdate): boolean {
  const known = new Map<number, number>()
  const knownOf = (client: number) => known.get(client) ?? Y.getState(doc.store, client)
  for (const struct of structs) {
    // A skip is a gap: what follows it in the update starts past what is known, and is caught then.
    if (struct instanceof Y.Skip) continue
    const { client, clock } = struct.id
    const have = knownOf(client)
    if (clock > have) return true
    known.set(client, Math.max(have, clock + struct.length))
  }
  const has = (id: Y.ID | null) => id === null || id.clock < knownOf(id.client)
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue
    if (!has(struct.origin) || !has(struct.rightOrigin) || (struct.parent instanceof Y.ID && !has(struct.parent))) return true
  }
  for (const [client, deletions] of ds.clients) {
    const have = knownOf(client)
    for (const { clock, len } of deletions) if (clock + len > have) return true
  }
  return false
}

function syncStep2For(room: Room, live: Live, stateVector: Uint8Array): Uint8Array {
  // A new client has nothing: every joiner in a burst gets the same encoded message.
  if (isEmptyStateVector(stateVector)) {
    room.fullStateMessage ??= encodeSyncStep2(encodeState(room, live))
    return room.fullStateMessage
  }
  try {
    return encodeSyncStep2(encodeState(room, live, stateVector))
  } catch (cause) {
    throw new RejectedMessage('state vector', { cause })
  }
}
