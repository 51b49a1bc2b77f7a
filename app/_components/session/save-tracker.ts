import * as decoding from 'lib0/decoding'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { MessageType, SyncType, encodeSaved } from '../../../lib/protocol-messages'
import type { LocalCopy } from './local-copy'
import type { Outbox } from './outbox'

/** 'offline': disconnected, and every edit so far is kept on this device. */
export type SaveState = 'saving' | 'saved' | 'offline'

export type SaveTracker = {
  state(): SaveState
  /** Edits of this browser the server has not confirmed storing. */
  hasUnsavedEdits(): boolean
  onChange(cb: () => void): () => void
  destroy(): void
}

/**
 * Whether this browser's edits are on the server's disk, from cowrite's `saved` extension of
 * the y-websocket protocol (lib/protocol-messages.ts): the client sends `[100, id]`, the server
 * answers `[100, id]` once everything this connection sent before it is stored. Stock clients
 * never send it and so never receive it.
 *
 * A local edit is any update not applied by the provider (typing, the title, the local copy's
 * load). Edits leave through the outbox, a frame later; a request follows them and its answer
 * covers the edits sent before it. One request is in flight at a time.
 * After a (re)connection nothing is asked until this client has answered the server's sync
 * step 1: the edits made offline travel in that answer, and the request must come after them.
 */
export function trackSaves(ydoc: Y.Doc, provider: WebsocketProvider, localCopy: LocalCopy, outbox: Outbox): SaveTracker {
  const listeners = new Set<() => void>()
  const notify = () => listeners.forEach((cb) => cb())
  let edits = 0
  let sent = 0
  let acked = 0
  let stored = 0
  let offline = false
  let handshaken = false
  let inFlight: { id: number; edits: number } | null = null
  let lastId = 0
  let flushing = false

  function request() {
    const ws = provider.ws
    if (!handshaken || inFlight || acked >= sent || !ws || ws.readyState !== WebSocket.OPEN) return
    inFlight = { id: ++lastId, edits: sent }
    ws.send(encodeSaved(inFlight.id))
  }

  function flushLocal() {
    if (flushing) return
    flushing = true
    const covered = edits
    void localCopy.flushed().then(() => {
      flushing = false
      stored = Math.max(stored, covered)
      notify()
      if (stored < edits) flushLocal()
    })
  }

  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin === provider) return
    edits++
    // Only "Offline – changes kept on this device" needs to know; online, the server's word counts.
    if (offline) flushLocal()
    notify()
  }

  const handleSync = provider.messageHandlers[MessageType.Sync]
  provider.messageHandlers[MessageType.Sync] = (encoder, decoder, p, fromSocket, type) => {
    const syncType = decoding.peekVarUint(decoder)
    handleSync(encoder, decoder, p, fromSocket, type)
    // The answer (our step 2) is sent right after this handler returns; ask once it is out.
    // `fromSocket` is false for messages from other tabs over BroadcastChannel.
    if (fromSocket && syncType === SyncType.Step1) {
      // The answer carries every edit of this Y.Doc, the outbox's waiting ones too.
      queueMicrotask(() => {
        handshaken = true
        sent = edits
        request()
      })
    }
  }
  provider.messageHandlers[MessageType.Saved] = (_encoder, decoder) => {
    const id = decoding.readVarUint(decoder)
    if (inFlight?.id !== id) return
    acked = Math.max(acked, inFlight.edits)
    inFlight = null
    notify()
    request()
  }

  const onStatus = ({ status }: { status: string }) => {
    if (status !== 'connected') return
    offline = false
    notify()
  }
  // Every closed or failed socket; the answer to an open request can no longer come.
  const onClose = () => {
    handshaken = false
    inFlight = null
    offline = true
    flushLocal()
    notify()
  }
  const onSent = () => {
    sent = edits
    request()
  }
  ydoc.on('update', onUpdate)
  const stopSent = outbox.onSent(onSent)
  provider.on('status', onStatus)
  provider.on('connection-close', onClose)

  return {
    state: () => (offline ? (stored >= edits ? 'offline' : 'saving') : acked >= edits ? 'saved' : 'saving'),
    hasUnsavedEdits: () => acked < edits,
    onChange(cb) {
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
    destroy() {
      listeners.clear()
      ydoc.off('update', onUpdate)
      stopSent()
      provider.off('status', onStatus)
      provider.off('connection-close', onClose)
    },
  }
}
