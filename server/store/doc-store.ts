/**
 * Persistence of documents as an append-only log of Yjs updates per document,
 * periodically replaced by one merged state update (compaction).
 *
 * Contract (tests/unit/doc-store-contract.test.ts runs it against every implementation):
 * - `load` returns every update appended or compacted for the document, in order;
 *   a document never stored loads as no updates. A failed read rejects: it never
 *   looks like an empty document.
 * - `append` and `compact` queue a write and return at once. Queued writes go out in
 *   batches, in order; a failed batch is retried until it succeeds and is never dropped.
 * - `compact(docId, state)` atomically replaces everything stored so far for the
 *   document (including appends still queued before it) with `state`; a `stateVector` given
 *   with it is stored with it, and `headStateVector` returns it once the document is loaded
 *   again, while `state` is the first update of its log.
 * - `flush` resolves once everything queued before it is written: the durability point.
 * - Writes keep the document's metadata (`updatedAt`, `bytes`) current, at least every few
 *   seconds and when the document is released.
 */
export type DocMeta = {
  /** Link generation: tokens signed with another generation are revoked. */
  linkGeneration: number
  /** Last change, ms since the epoch. */
  updatedAt: number
  /** The document's title as of its last stored change ('' when untitled). */
  title: string
  /** Bytes of stored updates. */
  bytes: number
  /** A tombstone: the document was deleted, and its links must not open a new, empty one. */
  deleted: boolean
}

export const EMPTY_META: DocMeta = Object.freeze({ linkGeneration: 0, updatedAt: 0, title: '', bytes: 0, deleted: false })

export interface DocStore {
  /** Reads a document's updates and starts the bookkeeping that append and compact need. */
  load(docId: string): Promise<Uint8Array[]>
  /** Reads a document's updates without loading it (backups). */
  read(docId: string): Promise<Uint8Array[]>
  append(docId: string, update: Uint8Array): void
  /**
   * `shrinkNow`: the document has gone quiet; its space on disk is reclaimed now, not at the next
   * interval. `stateVector`: that of `state` (Y.encodeStateVector of the document it was encoded
   * from), so that serving the stored state later does not decode it to learn its state vector.
   */
  compact(docId: string, state: Uint8Array, options?: { shrinkNow?: boolean; stateVector?: Uint8Array }): void
  /** For a loaded document, the state vector stored with the first update of its log (see compact); undefined when none was. */
  headStateVector(docId: string): Uint8Array | undefined
  delete(docId: string): Promise<void>
  getMeta(docId: string): Promise<DocMeta | undefined>
  /** Merges `patch` into the stored metadata (created if missing) and resolves with the result once written. */
  updateMeta(docId: string, patch: Partial<DocMeta>): Promise<DocMeta>
  /** Ids of every stored document. */
  listDocIds(): AsyncIterable<string>
  /** Bytes currently stored as updates for a loaded document (drives compaction). */
  storedBytes(docId: string): number
  /** Forget a loaded document's in-memory bookkeeping (it is unloaded); its data stays stored. */
  release(docId: string): void
  flush(): Promise<void>
  /** false while writes are failing and being retried. */
  readonly healthy: boolean
  close(): Promise<void>
}

export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StoreError'
  }
}
