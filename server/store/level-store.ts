import { mkdirSync } from 'node:fs'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { Level } from 'level'
import type { Logger } from 'pino'
import { type DocMeta, type DocStore, EMPTY_META, StoreError } from './doc-store'
import { STORE_FORMAT, keys } from './keys'

type Op = { type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string }
/** `level` runs on classic-level in Node, whose compactRange its typings do not declare. */
type DiskCompaction = { compactRange(start: string, end: string): Promise<void> }
type Waiter = { resolve: () => void; reject: (error: Error) => void }
export type LevelStoreOptions = {
  /** Told the size and duration of every batch written (metrics). */
  onBatch?: (ops: number, seconds: number) => void
  /** Compacted key ranges are compacted on disk at most this often (default DISK_COMPACTION_INTERVAL_MS). */
  diskCompactionIntervalMs?: number
}
type LogState = {
  first: number
  next: number
  bytes: number
  /** Stored with the log's first entry by the compaction that wrote it (DocStore.headStateVector). */
  headStateVector: Uint8Array | undefined
  meta: DocMeta | undefined
  metaWrittenAt: number
}

/** Writes wait this long for more to join the batch, unless someone waits on a flush. */
const WRITE_WINDOW_MS = 10
const RETRY_MIN_MS = 50
/** A busy document's metadata (updatedAt, bytes) is rewritten at most this often, and when it is released. */
const META_INTERVAL_MS = 5_000
const RETRY_MAX_MS = 5_000
/**
 * Compacted documents have their key range compacted by LevelDB at most this often (and at
 * close), so the files on disk shrink to about the live data instead of keeping every
 * replaced update until LevelDB gets round to it.
 */
const DISK_COMPACTION_INTERVAL_MS = 5_000
/** What a document with no stored updates loads as (its `updates` array is made fresh per load). */
const EMPTY_LOG = { first: -1, last: -1, bytes: 0, headStateVector: undefined }
const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * LevelDB-backed DocStore. All writes go through one queue, written as one batch every
 * WRITE_WINDOW_MS (or at once when a flush is awaited); what is queued while a batch is being
 * written goes out as the next one. A document's appends of one batch are stored as one value,
 * a bundle of updates, so a burst costs one LevelDB put per document, not one per update.
 *
 * Value format (every `u` key): varUint count, then count × varUint8Array update; an entry written
 * by compaction may go on with varUint8Array stateVector, that of its one update (a reader that
 * does not know it stops after the updates).
 */
export class LevelDocStore implements DocStore {
  readonly #db: Level<string, Uint8Array>
  readonly #log: Logger
  readonly #onBatch: (ops: number, seconds: number) => void
  readonly #diskCompactionIntervalMs: number
  readonly #docs = new Map<string, LogState>()
  #ops: Op[] = []
  /** Appends not yet in a batch, per document: bundled into one put when the batch is made. */
  #appends = new Map<string, Uint8Array[]>()
  #touched = new Set<string>()
  #wake: (() => void) | undefined
  /** Documents compacted since their key range was last compacted on disk. */
  #shrink = new Set<string>()
  /** A quiet document was compacted: shrink after the next write, whatever the interval. */
  #shrinkNow = false
  #shrunkAt = 0
  #shrinkTimer: NodeJS.Timeout | undefined
  #shrinking: Promise<void> = Promise.resolve()
  #waiters: Waiter[] = []
  #writing: Promise<void> | null = null
  #healthy = true
  #closed = false

  private constructor(db: Level<string, Uint8Array>, log: Logger, options: LevelStoreOptions) {
    this.#db = db
    this.#log = log
    this.#onBatch = options.onBatch ?? (() => {})
    this.#diskCompactionIntervalMs = options.diskCompactionIntervalMs ?? DISK_COMPACTION_INTERVAL_MS
  }

  static async open(
    dir: string,
    log: Logger,
    options: LevelStoreOptions = {},
  ): Promise<LevelDocStore> {
    mkdirSync(dir, { recursive: true })
    const db = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
    try {
      await db.open()
    } catch (error) {
      const locked = (error as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED'
      throw new StoreError(
        locked
          ? `the store in ${dir} is in use by another process: stop the sync server that runs on it first`
          : `cannot open the LevelDB store in ${dir}`,
        { cause: error },
      )
    }
    const stored = await db.get(keys.format)
    const format = stored === undefined ? undefined : Number(decoder.decode(stored))
    if (format === undefined) {
      await db.put(keys.format, encoder.encode(String(STORE_FORMAT)))
    } else if (!(format <= STORE_FORMAT)) {
      await db.close()
      throw new StoreError(
        `the store in ${dir} has format ${decoder.decode(stored)}, written by a newer cowrite; this version reads format ${STORE_FORMAT}. Upgrade cowrite instead of starting this version on it.`,
      )
    }
    return new LevelDocStore(db, log, options)
  }

  get healthy(): boolean {
    return this.#healthy
  }

  async load(docId: string): Promise<Uint8Array[]> {
    const meta = this.#readMeta(docId)
    // A document's metadata is written in the batch of its first update (and by every
    // compaction and restore), so a document without metadata has no updates: a new document
    // costs no iterator, whose three round trips through the thread pool dominate a join.
    const { updates, first, last, bytes, headStateVector } = meta ? await this.#readLog(docId) : { ...EMPTY_LOG, updates: [] }
    this.#docs.set(docId, { first: first < 0 ? 0 : first, next: last + 1, bytes, headStateVector, meta, metaWrittenAt: 0 })
    return updates
  }

  async read(docId: string): Promise<Uint8Array[]> {
    return (await this.#readLog(docId)).updates
  }

  async #readLog(docId: string) {
    const updates: Uint8Array[] = []
    let first = -1
    let last = -1
    let bytes = 0
    let headStateVector: Uint8Array | undefined
    try {
      for await (const [key, value] of this.#db.iterator(keys.updates(docId))) {
        const seq = keys.seqOf(key)
        const bundle = decoding.createDecoder(value)
        for (let n = decoding.readVarUint(bundle); n > 0; n--) {
          const update = decoding.readVarUint8Array(bundle)
          bytes += update.byteLength
          updates.push(update)
        }
        if (first < 0) {
          first = seq
          if (decoding.hasContent(bundle)) headStateVector = decoding.readVarUint8Array(bundle)
        }
        last = seq
      }
    } catch (error) {
      throw new StoreError(`cannot read document ${docId}`, { cause: error })
    }
    return { updates, first, last, bytes, headStateVector }
  }

  append(docId: string, update: Uint8Array): void {
    const log = this.#logOf(docId)
    const pending = this.#appends.get(docId)
    if (pending) pending.push(update)
    else this.#appends.set(docId, [update])
    log.bytes += update.byteLength
    this.#touched.add(docId)
    this.#schedule()
  }

  compact(docId: string, state: Uint8Array, options: { shrinkNow?: boolean; stateVector?: Uint8Array } = {}): void {
    const log = this.#logOf(docId)
    // The state includes every update appended so far, the queued ones too.
    this.#appends.delete(docId)
    const target = log.next++
    this.#ops.push({ type: 'put', key: keys.update(docId, target), value: bundle([state], options.stateVector) })
    log.headStateVector = options.stateVector
    for (let seq = log.first; seq < target; seq++) this.#ops.push({ type: 'del', key: keys.update(docId, seq) })
    log.first = target
    log.bytes = state.byteLength
    this.#touched.add(docId)
    this.#shrink.add(docId)
    if (options.shrinkNow) this.#shrinkNow = true
    this.#schedule()
  }

  async delete(docId: string): Promise<void> {
    await this.flush()
    this.#docs.delete(docId)
    this.#appends.delete(docId)
    await this.#db.clear(keys.updates(docId))
    await this.#db.del(keys.meta(docId))
  }

  async getMeta(docId: string): Promise<DocMeta | undefined> {
    const cached = this.#docs.get(docId)
    return cached ? cached.meta : this.#readMeta(docId)
  }

  /**
   * Reads a document's metadata synchronously: a small value, in LevelDB's cache or the page
   * cache, read in ~15 µs, where the asynchronous get costs 2–3 times that in thread-pool hops,
   * and it is read for every connection that is admitted.
   */
  #readMeta(docId: string): DocMeta | undefined {
    let raw: Uint8Array | undefined
    try {
      raw = this.#db.getSync(keys.meta(docId))
    } catch (error) {
      throw new StoreError(`cannot read metadata of ${docId}`, { cause: error })
    }
    return raw === undefined ? undefined : { ...EMPTY_META, ...(JSON.parse(decoder.decode(raw)) as Partial<DocMeta>) }
  }

  async updateMeta(docId: string, patch: Partial<DocMeta>): Promise<DocMeta> {
    const cached = this.#docs.get(docId)
    const meta = { ...EMPTY_META, ...(cached ? cached.meta : await this.getMeta(docId)), ...patch }
    if (cached) {
      cached.meta = meta
      cached.metaWrittenAt = Date.now()
    }
    this.#putMeta(docId, meta)
    await this.#enqueued()
    return meta
  }

  async *listDocIds(): AsyncIterable<string> {
    for await (const key of this.#db.keys(keys.metas)) {
      const docId = keys.docIdOfMeta(key)
      if (docId) yield docId
    }
  }

  headStateVector(docId: string): Uint8Array | undefined {
    return this.#docs.get(docId)?.headStateVector
  }

  storedBytes(docId: string): number {
    return this.#docs.get(docId)?.bytes ?? 0
  }

  /** Forget a document's in-memory log position (it is unloaded); its data stays on disk. */
  release(docId: string): void {
    const log = this.#docs.get(docId)
    const pending = this.#appends.get(docId)
    if (log && pending) {
      this.#ops.push({ type: 'put', key: keys.update(docId, log.next++), value: bundle(pending) })
      this.#appends.delete(docId)
    }
    if (log && this.#touched.has(docId)) log.meta = { ...EMPTY_META, ...log.meta, updatedAt: Date.now(), bytes: log.bytes }
    if (log?.meta && log.metaWrittenAt < log.meta.updatedAt) this.#putMeta(docId, log.meta)
    this.#docs.delete(docId)
    this.#touched.delete(docId)
  }

  async flush(): Promise<void> {
    if (this.#ops.length > 0 || this.#appends.size > 0 || this.#writing) await this.#enqueued()
  }

  async close(): Promise<void> {
    for (const docId of [...this.#docs.keys()]) this.release(docId)
    await this.flush()
    this.#shrinkOnDisk()
    await this.#shrinking
    this.#closed = true
    await this.#db.close()
  }

  #logOf(docId: string): LogState {
    const log = this.#docs.get(docId)
    if (!log) throw new StoreError(`document ${docId} was written before it was loaded`)
    return log
  }

  #enqueued(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }))
    this.#schedule()
    this.#wake?.()
    return done
  }

  #schedule(): void {
    if (this.#closed) throw new StoreError('the store is closed')
    if (!this.#writing) this.#writing = this.#drain()
  }

  /**
   * Shrinks at once when a quiet document asked for it or the interval has passed; otherwise
   * when it passes, even if nothing is written after this batch (a compaction at the very end
   * of a burst would else keep the replaced updates on disk until the next write).
   */
  #shrinkWhenDue(): void {
    const wait = this.#shrinkNow ? 0 : this.#shrunkAt + this.#diskCompactionIntervalMs - Date.now()
    if (wait <= 0) this.#shrinkOnDisk()
    else if (!this.#shrinkTimer) {
      this.#shrinkTimer = setTimeout(() => {
        this.#shrinkTimer = undefined
        // close() shrinks, and clears this timer, itself.
        if (this.#shrink.size > 0) this.#shrinkOnDisk()
      }, wait)
      this.#shrinkTimer.unref()
    }
  }

  #shrinkOnDisk(): void {
    clearTimeout(this.#shrinkTimer)
    this.#shrinkTimer = undefined
    const docIds = [...this.#shrink]
    this.#shrink.clear()
    this.#shrinkNow = false
    this.#shrunkAt = Date.now()
    this.#shrinking = this.#shrinking.then(async () => {
      for (const docId of docIds) {
        const range = keys.updates(docId)
        // Only disk space is at stake: a failure is logged, and the data is untouched.
        await (this.#db as unknown as DiskCompaction)
          .compactRange(range.gte, range.lt)
          .catch((error: unknown) => this.#log.warn({ err: error, docId }, 'store.shrink.failed'))
      }
    })
  }

  #putMeta(docId: string, meta: DocMeta): void {
    this.#ops.push({ type: 'put', key: keys.meta(docId), value: encoder.encode(JSON.stringify(meta)) })
    this.#schedule()
  }

  /** Writes batches until the queue is empty. A failed batch is retried with backoff, never dropped. */
  async #drain(): Promise<void> {
    // Waiters that joined during the last write (flush) are answered by the next round, even with no ops.
    while (this.#ops.length > 0 || this.#appends.size > 0 || this.#waiters.length > 0) {
      if (this.#waiters.length === 0) {
        // Let more updates join the batch, unless someone is waiting for it.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, WRITE_WINDOW_MS)
          this.#wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        this.#wake = undefined
      }
      const ops = this.#ops
      for (const [docId, updates] of this.#appends) {
        const log = this.#docs.get(docId)
        if (log) ops.push({ type: 'put', key: keys.update(docId, log.next++), value: bundle(updates) })
      }
      this.#appends = new Map()
      const waiters = this.#waiters
      const now = Date.now()
      for (const docId of this.#touched) {
        const log = this.#docs.get(docId)
        if (!log) continue
        log.meta = { ...EMPTY_META, ...log.meta, updatedAt: now, bytes: log.bytes }
        if (now - log.metaWrittenAt < META_INTERVAL_MS) continue
        log.metaWrittenAt = now
        ops.push({ type: 'put', key: keys.meta(docId), value: encoder.encode(JSON.stringify(log.meta)) })
      }
      this.#ops = []
      this.#waiters = []
      this.#touched = new Set()
      if (ops.length > 0) await this.#writeWithRetry(ops)
      if (this.#shrink.size > 0) this.#shrinkWhenDue()
      for (const waiter of waiters) waiter.resolve()
    }
    this.#writing = null
  }

  async #writeWithRetry(ops: Op[]): Promise<void> {
    let delay = RETRY_MIN_MS
    for (;;) {
      try {
        const started = performance.now()
        await this.#write(ops)
        this.#onBatch(ops.length, (performance.now() - started) / 1000)
        if (!this.#healthy) this.#log.info({ ops: ops.length }, 'store.write.recovered')
        this.#healthy = true
        return
      } catch (error) {
        if (this.#healthy) this.#log.error({ err: error, ops: ops.length }, 'store.write.failed')
        this.#healthy = false
        await new Promise((resolve) => setTimeout(resolve, delay))
        delay = Math.min(delay * 2, RETRY_MAX_MS)
      }
    }
  }

  /**
   * One LevelDB batch, synced: on the disk itself, not only in the page cache, before anyone is
   * told it is saved. Built as a chained batch: `db.batch(array)` costs about three times the CPU
   * per operation (28–31 µs against 9–12 µs in a micro-benchmark, most of it on the main thread),
   * and a busy server writes about one operation per document per batch.
   */
  async #write(ops: Op[]): Promise<void> {
    const batch = this.#db.batch()
    try {
      for (const op of ops) {
        if (op.type === 'put') batch.put(op.key, op.value)
        else batch.del(op.key)
      }
    } catch (error) {
      await batch.close()
      throw error
    }
    // write() closes the batch whether it succeeds or fails.
    await batch.write({ sync: true })
  }
}

function bundle(updates: Uint8Array[], stateVector?: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, updates.length)
  for (const update of updates) encoding.writeVarUint8Array(encoder, update)
  if (stateVector) encoding.writeVarUint8Array(encoder, stateVector)
  return encoding.toUint8Array(encoder)
}
