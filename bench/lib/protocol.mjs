// The two wire dialects the benchmark's lightweight clients speak, as pure encode/decode.
//
// - 'y-websocket' (cowrite, the classic server, the relay): [messageType, ...payload].
// - 'hocuspocus': every message is prefixed with the document name, and the first message
//   for a document must be an Auth message; the server queues everything else until then.
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3, SyncReply: 4, SyncStatus: 8 }
const SyncStep = { One: 0, Two: 1, Update: 2 }

/** The sync step 2 of an empty document: what a client with nothing to offer answers a server's step 1 with. */
const EMPTY_UPDATE = new Uint8Array([0, 0])
const EMPTY_STATE_VECTOR = new Uint8Array([0])

/**
 * A codec for one document on one connection. All `encode*` functions return complete
 * frames, so a caller can encode once and send the same bytes many times.
 */
export function createCodec(dialect, docName) {
  const prefix = dialect === 'hocuspocus' ? encodePrefix(docName) : new Uint8Array(0)

  const frame = (write) => {
    const encoder = encoding.createEncoder()
    encoding.writeUint8Array(encoder, prefix)
    write(encoder)
    return encoding.toUint8Array(encoder)
  }
  const sync = (step, payload) =>
    frame((e) => {
      encoding.writeVarUint(e, MessageType.Sync)
      encoding.writeVarUint(e, step)
      encoding.writeVarUint8Array(e, payload)
    })

  return {
    dialect,
    docName,
    /** Frames a client sends right after the socket opens: (auth), then sync step 1 with `stateVector`. */
    handshake(stateVector = EMPTY_STATE_VECTOR, token = '') {
      const frames = []
      if (dialect === 'hocuspocus') {
        frames.push(
          frame((e) => {
            encoding.writeVarUint(e, MessageType.Auth)
            encoding.writeVarUint(e, 0) // AuthMessageType.Token
            encoding.writeVarString(e, token)
          }),
        )
      }
      frames.push(sync(SyncStep.One, stateVector))
      return frames
    },
    encodeUpdate: (update) => sync(SyncStep.Update, update),
    encodeStep2: (update) => sync(SyncStep.Two, update),
    emptyStep2: sync(SyncStep.Two, EMPTY_UPDATE),
    encodeAwareness: (awarenessUpdate) =>
      frame((e) => {
        encoding.writeVarUint(e, MessageType.Awareness)
        encoding.writeVarUint8Array(e, awarenessUpdate)
      }),
    decode: (bytes) => decodeFrame(dialect, bytes),
  }
}

function encodePrefix(docName) {
  const encoder = encoding.createEncoder()
  encoding.writeVarString(encoder, docName)
  return encoding.toUint8Array(encoder)
}

/**
 * One incoming frame as { kind, payload }: kind is 'step1' | 'step2' | 'update' |
 * 'awareness' | 'authenticated' | 'denied' | 'other'; payload is a view into `bytes`.
 */
function decodeFrame(dialect, bytes) {
  const decoder = decoding.createDecoder(bytes)
  if (dialect === 'hocuspocus') decoding.readVarString(decoder)
  const type = decoding.readVarUint(decoder)
  switch (type) {
    case MessageType.Sync:
    case MessageType.SyncReply: {
      const step = decoding.readVarUint(decoder)
      const payload = decoding.readVarUint8Array(decoder)
      if (step === SyncStep.One) return { kind: 'step1', payload }
      if (step === SyncStep.Two) return { kind: 'step2', payload }
      return { kind: 'update', payload }
    }
    case MessageType.Awareness:
      return { kind: 'awareness', payload: decoding.readVarUint8Array(decoder) }
    case MessageType.Auth: {
      if (dialect !== 'hocuspocus') return { kind: 'denied', payload: null }
      const authType = decoding.readVarUint(decoder)
      return { kind: authType === 2 ? 'authenticated' : authType === 1 ? 'denied' : 'other', payload: null }
    }
    default:
      return { kind: 'other', payload: null }
  }
}

/**
 * An awareness update for one client, as y-protocols encodes it:
 * [count=1, clientID, clock, JSON state]. Cheap enough to build per caret move.
 */
export function encodeAwarenessUpdate(clientID, clock, state) {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarUint(encoder, clientID)
  encoding.writeVarUint(encoder, clock)
  encoding.writeVarString(encoder, JSON.stringify(state))
  return encoding.toUint8Array(encoder)
}

/** Calls `onEntry(clientID, clock)` for every client state in an awareness update, without parsing the JSON. */
export function readAwarenessClocks(update, onEntry) {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  for (let i = 0; i < count; i++) {
    const clientID = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const length = decoding.readVarUint(decoder)
    decoder.pos += length
    onEntry(clientID, clock)
  }
}
