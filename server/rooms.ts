import * as awarenessProtocol from 'y-protocols/awareness'
import { Close } from '../lib/close-codes'
import { mergeUpdates } from '../lib/merge-updates'
import {
  type ClientMessage,
  MalformedMessage,
  decodeClientMessage,
  encodeAwareness,
  encodeSaved,
  encodeSyncStep2,
  encodeUpdate,
  isEmptyStateVector,
} from '../lib/protocol-messages'
import type { Connection } from './connection'
import { type Logger, createIncidentLog } from './logger'
import type { Metrics } from './metrics'
import { RejectedMessage, greet, handleMessage } from './protocol'
import { type Live, Room, applyStored, createLiveDoc, encodeState, encodeStateVector, sweepOutdatedAwareness, titleOf } from './room'
import type { DocStore } from './store/doc-store'

export type RoomsOptions = {
  store: DocStore
  log: Logger
  metrics: Metrics
  /** How long a document stays in memory after its last connection leaves. */
  unloadDelayMs: number
  /** A document nobody has written to for this long is compacted (default QUIET_COMPACT_MS). */
  quietCompactMs?: number
  /** Called once a document has been unloaded and let go of. */
  onUnloaded?: () => void
}

/**
 * The log may grow to this many bytes, or twice the last compacted state, and to this many
 * appends (a load merges them all), before it is compacted.
 */
const COMPACT_MIN_BYTES = 64 * 1024
const COMPACT_MAX_APPENDS = 1000
/**
 * A document whose log has grown by QUIET_COMPACT_MIN_APPENDS or QUIET_COMPACT_MIN_BYTES since its last compaction is
 * compacted, and its space on disk reclaimed, once nobody has written to it for this long: a
 * burst leaves one state behind it, which a restart (even after SIGKILL) reads and sends as is.
 */
const QUIET_COMPACT_MS = 300
const QUIET_COMPACT_MIN_APPENDS = 50
const QUIET_COMPACT_MIN_BYTES = 16 * 1024
/**
 * In a room of at least CROWD connections, updates are gathered for conns / CROWD_PER_MS ms
 * (at most CROWD_WINDOW_MAX_MS) before one merged broadcast; smaller rooms flush every tick.
 */
const CROWD = 32
const CROWD_PER_MS = 8
const CROWD_WINDOW_MAX_MS = 25
/** Awareness changes closer together than this are sent as one broadcast. */
const AWARENESS_WINDOW_MS = 40
/** Clients silent for y-protocols' timeout (30 s) are dropped from awareness by a sweep this often. */
const AWARENESS_SWEEP_MS = 3_000

/**
 * The document registry: loads each document once however many join at once, attaches
 * and detaches connections, relays and persists updates, and unloads idle documents.
 */
export class Rooms {
  readonly #rooms = new Map<string, Room>()
  readonly #roomOf = new Map<Connection, Room>()
  /** Unloads in progress: a document is not loaded again before its unload has flushed. */
  readonly #unloading = new Map<string, Promise<void>>()
  /** Rooms with updates waiting in their outbox, flushed together once this tick's input is read. */
  readonly #dirty = new Set<Room>()
  /** Live rooms with appends since their last compaction. */
  readonly #uncompacted = new Set<Room>()
  readonly #quietCompactMs: number
  readonly #quietTimer: NodeJS.Timeout
  readonly #awarenessSweeper: NodeJS.Timeout
  readonly #opts: RoomsOptions
  readonly #incident: ReturnType<typeof createIncidentLog>
  #stopping = false

  constructor(options: RoomsOptions) {
    this.#opts = options
    this.#incident = createIncidentLog(options.log)
    this.#quietCompactMs = options.quietCompactMs ?? QUIET_COMPACT_MS
    this.#quietTimer = setInterval(this.#compactQuiet, this.#quietCompactMs / 2)
    this.#quietTimer.unref()
    this.#awarenessSweeper = setInterval(() => {
      for (const room of this.#rooms.values()) {
        if (room.phase.state === 'live' && room.phase.awareness.states.size > 0) sweepOutdatedAwareness(room.phase.awareness)
      }
    }, AWARENESS_SWEEP_MS)
    this.#awarenessSweeper.unref()
  }

  get loadedCount(): number {
    return this.#rooms.size
  }

  /** Connections attached to a document, for link revocation. */
  connectionsOf(docId: string): Connection[] {
    return [...(this.#rooms.get(docId)?.conns ?? [])]
  }

  join(conn: Connection): void {
    let room = this.#rooms.get(conn.docId)
    if (!room) {
      room = new Room(conn.docId)
      this.#rooms.set(conn.docId, room)
      this.#opts.metrics.docsLoaded.set(this.#rooms.size)
      void this.#load(room)
    }
    clearTimeout(room.unloadTimer)
    room.unloadTimer = undefined
    room.conns.add(conn)
    this.#roomOf.set(conn, room)
    if (room.phase.state === 'live') greet(room, room.phase, conn)
  }

  receive(conn: Connection, frame: Uint8Array): void {
    const room = this.#roomOf.get(conn)
    if (!room) return
    let message: ClientMessage
    try {
      message = decodeClientMessage(frame)
    } catch (error) {
      this.#reject(conn, error)
      return
    }
    const byKind = this.#opts.metrics.received.byKind
    byKind[message.kind] = (byKind[message.kind] ?? 0) + 1
    switch (room.phase.state) {
      case 'loading':
        room.phase.queue.push([conn, message])
        return
      case 'live':
        this.#handle(room, conn, message, frame)
        return
      case 'closed':
        return
    }
  }

  leave(conn: Connection): void {
    const room = this.#roomOf.get(conn)
    if (!room) return
    this.#roomOf.delete(conn)
    room.conns.delete(conn)
    if (room.phase.state === 'live' && conn.awarenessIds && conn.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(room.phase.awareness, [...conn.awarenessIds], null)
    }
    if (room.conns.size === 0 && !this.#stopping) {
      room.unloadTimer = setTimeout(() => void this.#unload(room), this.#opts.unloadDelayMs)
      room.unloadTimer.unref()
    }
  }

  /** Closes every connection with `why` and writes every document to the store. */
  async shutdown(why: { code: number; reason: string }): Promise<void> {
    this.#stopping = true
    clearInterval(this.#quietTimer)
    clearInterval(this.#awarenessSweeper)
    for (const conn of [...this.#roomOf.keys()]) {
      conn.close(why)
      this.leave(conn)
    }
    await Promise.all([...this.#rooms.values()].map((room) => this.#unload(room)))
    await Promise.all(this.#unloading.values())
  }

  /** The in-memory document's whole state as one update, when it is live (backups read it rather than the store). */
  liveState(docId: string): Uint8Array | undefined {
    const room = this.#rooms.get(docId)
    return room?.phase.state === 'live' ? encodeState(room, room.phase) : undefined
  }

  /**
   * Deletes a document: its connections are closed with 4404, nothing of it is written again,
   * and a tombstone keeps its old links from opening a new, empty document under the same id.
   */
  async delete(docId: string): Promise<void> {
    const room = this.#rooms.get(docId)
    if (room) {
      room.outbox = []
      const live = this.#retire(room)
      live?.awareness.destroy()
      live?.doc.destroy()
      for (const conn of [...room.conns]) {
        this.#roomOf.delete(conn)
        conn.close(Close.Deleted)
      }
      room.conns.clear()
    }
    await this.#unloading.get(docId)
    const { store } = this.#opts
    const linkGeneration = (await store.getMeta(docId))?.linkGeneration ?? 0
    await store.delete(docId)
    await store.updateMeta(docId, { deleted: true, linkGeneration: linkGeneration + 1, updatedAt: Date.now() })
  }

  async #load(room: Room): Promise<void> {
    const { store, log, metrics } = this.#opts
    const started = performance.now()
    try {
      await this.#unloading.get(room.docId)
      this.#open(room, await store.load(room.docId), started)
    } catch (error) {
      // Never serve a document that failed to load (unreadable, or stored bytes Yjs cannot apply):
      // it would look empty and the next edit would be stored over it.
      log.error({ err: error, docId: room.docId }, 'room.load.failed')
      metrics.errors.inc({ kind: 'store-read' })
      this.#retire(room)
      for (const conn of room.conns) conn.close(Close.Internal)
    }
  }

  /** Makes a loaded document live: answers its waiting joiners, then what they sent meanwhile. */
  #open(room: Room, updates: Uint8Array[], started: number): void {
    const { store, log } = this.#opts
    let queue = room.phase.state === 'loading' ? room.phase.queue : []
    let servedFromStore = 0
    const [head, ...rest] = updates
    const tail = rest.length > 0 ? mergeUpdates(rest) : null
    if (head) {
      // Joiners that have nothing get the stored log as it is, before the server has even applied
      // it to its own copy, and without merging it into one update first (a merge decodes the
      // whole document). A compacted log is the state plus a short tail of later updates: the
      // tail goes first, as one update the client keeps pending, and the state last, as sync
      // step 2, so the client says "synced" only once it has everything.
      const greeting = tail ? [encodeUpdate(tail), encodeSyncStep2(head)] : [encodeSyncStep2(head)]
      room.fullStateMessage = tail ? null : greeting[0]
      queue = queue.filter(([conn, message]) => {
        if (!room.conns.has(conn) || message.kind !== 'sync-step1' || !isEmptyStateVector(message.stateVector)) return true
        for (const bytes of greeting) conn.send(bytes)
        servedFromStore++
        return false
      })
    }
    // Made once the waiting joiners have their bytes: they need nothing of it.
    const live = createLiveDoc(room.docId)
    if (head && tail) {
      applyStored(live.doc, head, tail)
    } else if (head) {
      // A compacted log: applied when the server needs the document itself (materialize).
      room.unapplied = head
      room.unappliedStateVector = store.headStateVector(room.docId)
    }
    room.compactedBytes = store.storedBytes(room.docId)
    room.storedTitle = titleOf(live.doc)
    // The title is compared at a flush only when the `meta` map changed, not on every keystroke.
    live.doc.getMap('meta').observe(() => {
      room.titleTouched = true
    })
    live.awareness.on('update', (change: AwarenessChange, origin: unknown) => this.#onAwareness(room, change, origin))
    room.phase = { state: 'live', ...live }
    log.debug({ docId: room.docId, updates: updates.length, servedFromStore, ms: Math.round(performance.now() - started) }, 'room.loaded')
    for (const conn of room.conns) greet(room, room.phase, conn)
    for (const [conn, message] of queue) {
      // A client that left while the document loaded still had its edits accepted; nothing else of it matters now.
      if (room.conns.has(conn) || message.kind === 'update' || message.kind === 'sync-step2') this.#handle(room, conn, message)
    }
    // A log of more than one entry is compacted once this tick's joiners have been answered.
    if (updates.length > 1) this.#scheduleCompaction(room)
    if (room.conns.size === 0 && !room.unloadTimer) void this.#unload(room)
  }

  /** `frame`: the bytes the message came in, relayed as they are when they carry a lone update. */
  #handle(room: Room, conn: Connection, message: ClientMessage, frame?: Uint8Array): void {
    if (room.phase.state !== 'live') return
    if (message.kind === 'save-request') {
      // Everything this connection sent before the request is applied; once it is queued and the
      // store has written what was queued, it is on disk.
      this.#flushOutbox(room)
      this.#opts.store.flush().then(() => conn.send(encodeSaved(message.requestId)))
      return
    }
    let applied: Uint8Array | null
    try {
      applied = handleMessage(room, room.phase, conn, message)
    } catch (error) {
      this.#reject(conn, error)
      if (error instanceof RejectedMessage && error.touched) this.#reload(room, conn)
      return
    }
    if (applied) this.#onUpdate(room, applied, conn, message.kind === 'update' ? frame : undefined)
  }

  #onUpdate(room: Room, update: Uint8Array, origin: Connection, frame: Uint8Array | undefined): void {
    room.fullStateMessage = null
    room.stateVectorMessage = null
    if (room.outbox.length === 0) {
      room.outboxSince = performance.now()
      if (room.conns.size >= CROWD) {
        // Every update to a crowded room costs a send per person: wait a little so more share one.
        setTimeout(() => this.#flushOutbox(room), Math.min(CROWD_WINDOW_MAX_MS, room.conns.size / CROWD_PER_MS))
      } else {
        if (this.#dirty.size === 0) setImmediate(this.#flushDirty)
        this.#dirty.add(room)
      }
    }
    room.outbox.push(update)
    room.outboxFrame = room.outbox.length === 1 ? frame : undefined
    room.outboxOrigins.add(origin)
  }

  readonly #flushDirty = () => {
    const rooms = [...this.#dirty]
    this.#dirty.clear()
    for (const room of rooms) this.#flushOutbox(room)
  }

  /**
   * Relays and persists the updates of one tick together: one merged update, encoded once,
   * the same bytes to every peer (a sender also gets the others' edits merged with its own,
   * which Yjs ignores), and one store append.
   */
  #flushOutbox(room: Room): void {
    const updates = room.outbox
    if (updates.length === 0) return
    const origins = room.outboxOrigins
    room.outbox = []
    room.outboxOrigins = new Set()
    const update = mergeUpdates(updates)
    // A lone update that came as a sync update message goes out in the very bytes it came in.
    const message = updates.length === 1 && room.outboxFrame ? room.outboxFrame : encodeUpdate(update)
    room.outboxFrame = undefined
    room.broadcast(message, origins.size === 1 ? origins.values().next().value : undefined)
    this.#opts.metrics.relaySeconds.observe((performance.now() - room.outboxSince) / 1000)
    this.#opts.store.append(room.docId, update)
    if (room.phase.state === 'live' && room.titleTouched) {
      room.titleTouched = false
      const title = titleOf(room.phase.doc)
      if (title !== room.storedTitle) {
        room.storedTitle = title
        this.#opts.store.updateMeta(room.docId, { title }).catch((error) => {
          this.#opts.log.error({ err: error, docId: room.docId }, 'store.meta.failed')
        })
      }
    }
    this.#maybeCompact(room)
  }

  #onAwareness(room: Room, { added, updated, removed }: AwarenessChange, origin: unknown): void {
    const conn = origin !== null && typeof origin === 'object' && room.conns.has(origin as Connection) ? (origin as Connection) : undefined
    if (conn) {
      for (const id of added) (conn.awarenessIds ??= new Set()).add(id)
      for (const id of removed) conn.awarenessIds?.delete(id)
    }
    for (const id of added) room.awarenessDirty.add(id)
    for (const id of updated) room.awarenessDirty.add(id)
    for (const id of removed) room.awarenessDirty.add(id)
    if (room.awarenessTimer) return
    // A lone change goes out at once; changes that follow within the window are sent together.
    const wait = Math.max(0, room.awarenessSentAt + AWARENESS_WINDOW_MS - performance.now())
    room.awarenessTimer = setTimeout(() => this.#flushAwareness(room), wait)
  }

  #flushAwareness(room: Room): void {
    room.awarenessTimer = undefined
    room.awarenessSentAt = performance.now()
    if (room.phase.state !== 'live' || room.awarenessDirty.size === 0) return
    const changed = [...room.awarenessDirty]
    room.awarenessDirty.clear()
    room.broadcast(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(room.phase.awareness, changed)))
  }

  /** Compaction runs after the current burst, from the live document: no reload needed. */
  #maybeCompact(room: Room): void {
    room.appendsSinceCompaction++
    room.lastAppendAt = performance.now()
    const stored = this.#opts.store.storedBytes(room.docId)
    if (room.appendsSinceCompaction >= QUIET_COMPACT_MIN_APPENDS || stored - room.compactedBytes >= QUIET_COMPACT_MIN_BYTES) {
      this.#uncompacted.add(room)
    }
    if (stored > Math.max(COMPACT_MIN_BYTES, 2 * room.compactedBytes) || room.appendsSinceCompaction > COMPACT_MAX_APPENDS) {
      this.#scheduleCompaction(room)
    }
  }

  #scheduleCompaction(room: Room, options?: { shrinkNow: boolean }): void {
    if (room.compactionQueued) return
    room.compactionQueued = true
    setImmediate(() => {
      room.compactionQueued = false
      if (room.phase.state === 'live') this.#compact(room, room.phase, options)
    })
  }

  /**
   * Documents nobody has written to for a while (QUIET_COMPACT_MS) are compacted, so that the log a
   * restart (even after SIGKILL) reads is one state update, sent to the first joiner as it is.
   */
  readonly #compactQuiet = () => {
    const quietSince = performance.now() - this.#quietCompactMs
    for (const room of this.#uncompacted) {
      if (room.phase.state !== 'live') this.#uncompacted.delete(room)
      else if (room.lastAppendAt < quietSince) this.#scheduleCompaction(room, { shrinkNow: true })
    }
  }

  #compact(room: Room, live: Live, options?: { shrinkNow: boolean }): void {
    const state = encodeState(room, live)
    room.compactedBytes = state.byteLength
    room.appendsSinceCompaction = 0
    this.#uncompacted.delete(room)
    // Stored with the state, so that a cold load can greet without decoding the state for it.
    this.#opts.store.compact(room.docId, state, { ...options, stateVector: encodeStateVector(room, live) })
  }

  /**
   * Yjs refused an update part-way through applying it, or left some of it waiting: the live
   * document may hold some of it, which was never relayed or stored. Its connections are closed
   * (1011: the clients reconnect, and send again what the store lacks), it is unloaded without
   * compacting it, and the next join loads it from the store. `sender` has been closed already.
   */
  #reload(room: Room, sender: Connection): void {
    this.#opts.log.warn({ docId: room.docId, connections: room.conns.size }, 'room.reloading')
    for (const conn of room.conns) {
      this.#roomOf.delete(conn)
      if (conn !== sender) conn.close(Close.Internal)
    }
    room.conns.clear()
    void this.#unload(room, { compact: false })
  }

  #unload(room: Room, { compact } = { compact: true }): Promise<void> {
    if (room.conns.size > 0 || room.phase.state === 'closed') return Promise.resolve()
    if (room.phase.state === 'loading') return Promise.resolve() // #load unloads it once loaded
    this.#flushOutbox(room)
    const live = room.phase
    const { doc, awareness } = live
    this.#retire(room)
    const { store, log } = this.#opts
    const done = (async () => {
      if (compact && store.storedBytes(room.docId) > room.compactedBytes) this.#compact(room, live)
      await store.flush()
      store.release(room.docId)
      awareness.destroy()
      doc.destroy()
      log.debug({ docId: room.docId }, 'room.unloaded')
      this.#opts.onUnloaded?.()
    })().finally(() => this.#unloading.delete(room.docId))
    this.#unloading.set(room.docId, done)
    return done
  }

  /** Takes a room out of the registry and stops its timers; returns its document if it was live. */
  #retire(room: Room): Extract<Room['phase'], { state: 'live' }> | undefined {
    const live = room.phase.state === 'live' ? room.phase : undefined
    room.phase = { state: 'closed' }
    clearTimeout(room.unloadTimer)
    clearTimeout(room.awarenessTimer)
    this.#uncompacted.delete(room)
    this.#rooms.delete(room.docId)
    this.#opts.metrics.docsLoaded.set(this.#rooms.size)
    return live
  }

  #reject(conn: Connection, error: unknown): void {
    const kind = error instanceof MalformedMessage ? 'malformed' : error instanceof RejectedMessage ? 'rejected' : 'internal'
    this.#opts.metrics.errors.inc({ kind: `message-${kind}` })
    this.#incident({ connId: conn.id, docId: conn.docId, kind, reason: (error as Error).message }, 'message.rejected')
    conn.close(Close.BadMessage)
  }
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] }
