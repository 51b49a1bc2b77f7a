import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/**
 * The y-websocket wire format, pure encode/decode (no Yjs state involved):
 *   varUint messageType, then
 *   0 sync:      varUint syncType (0 step1 | 1 step2 | 2 update), varUint8Array payload
 *   1 awareness: varUint8Array awareness update
 *   2 auth:      varUint 0 (permission denied), varString reason
 *   3 query-awareness: nothing
 * and one cowrite extension, which the stock client never sends and so never receives:
 *   100 saved:   varUint requestId. A client sends it after its edits; the server answers with the
 *                same id once every update it received on that connection before it is on disk.
 */
export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3, Saved: 100 } as const
export const SyncType = { Step1: 0, Step2: 1, Update: 2 } as const

export type ClientMessage =
  | { kind: 'sync-step1'; stateVector: Uint8Array }
  | { kind: 'sync-step2'; update: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' }
  | { kind: 'save-request'; requestId: number }

export class MalformedMessage extends Error {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`malformed message: ${detail}`, options)
    this.name = 'MalformedMessage'
  }
}

/** Decodes one frame a client sent. Throws MalformedMessage for anything that is not exactly one known message. */
export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  let message: ClientMessage
  const decoder = decoding.createDecoder(frame)
  try {
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MessageType.Sync: {
        const syncType = decoding.readVarUint(decoder)
        const payload = decoding.readVarUint8Array(decoder)
        if (syncType === SyncType.Step1) message = { kind: 'sync-step1', stateVector: payload }
        else if (syncType === SyncType.Step2) message = { kind: 'sync-step2', update: payload }
        else if (syncType === SyncType.Update) message = { kind: 'update', update: payload }
        else throw new MalformedMessage(`unknown sync type ${syncType}`)
        break
      }
      case MessageType.Awareness:
        message = { kind: 'awareness', update: decoding.readVarUint8Array(decoder) }
        break
      case MessageType.QueryAwareness:
        message = { kind: 'query-awareness' }
        break
      case MessageType.Saved:
        message = { kind: 'save-request', requestId: decoding.readVarUint(decoder) }
        break
      default:
        throw new MalformedMessage(`unknown message type ${type}`)
    }
  } catch (error) {
    if (error instanceof MalformedMessage) throw error
    throw new MalformedMessage('truncated or overlong field', { cause: error })
  }
  if (decoding.hasContent(decoder)) throw new MalformedMessage('trailing bytes')
  return message
}

function encodeSync(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  encoding.writeVarUint(encoder, syncType)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

export const encodeSyncStep1 = (stateVector: Uint8Array) => encodeSync(SyncType.Step1, stateVector)
export const encodeSyncStep2 = (update: Uint8Array) => encodeSync(SyncType.Step2, update)
export const encodeUpdate = (update: Uint8Array) => encodeSync(SyncType.Update, update)

export function encodeAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Awareness)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** Both directions of the `saved` extension: a client's request and the server's acknowledgement. */
export function encodeSaved(requestId: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Saved)
  encoding.writeVarUint(encoder, requestId)
  return encoding.toUint8Array(encoder)
}

/** The request id of a `saved` acknowledgement, or null for any other message. */
export function decodeSaved(frame: Uint8Array): number | null {
  const decoder = decoding.createDecoder(frame)
  if (decoding.readVarUint(decoder) !== MessageType.Saved) return null
  return decoding.readVarUint(decoder)
}

export function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Auth)
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarString(encoder, reason)
  return encoding.toUint8Array(encoder)
}

/** The state vector of a client that has nothing yet (no clients). */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.length === 1 && stateVector[0] === 0
}

/** An update that carries no structs and no deletions (what a client with nothing new sends as step 2). */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0
}
