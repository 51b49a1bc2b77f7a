/**
 * Persistence of documents as an append-only log of Yjs updates per document,
 * periodically replaced by one merged state update (compaction).
 *
 * Contract (tests/unit/doc-store-contract.ts runs it against every implementation):
 * - `load` returns every update appended or compacted for the document, in order;
 *   a document never stored loads as no updates. A failed read rejects: it never
 *   looks like an empty document.
 * - `append` resolves once the update is durably written. Appends are grouped into
 *   batches; a failed batch is retried until it succeeds and is never dropped.
 * - `compact(docId, state)` atomically replaces everything stored so far for the
 *   document (including appends still queued before it) with `state`.
 * - `flush` resolves once everything queued before it is written.
 */
export type DocMeta = {
  /** Link generation: tokens signed with another generation are revoked. */
  linkGeneration: number
  /** Last change, ms since the epoch. */
  updatedAt: number
}

export interface DocStore {
  load(docId: string): Promise<Uint8Array[]>
  append(docId: string, update: Uint8Array): Promise<void>
  compact(docId: string, state: Uint8Array): Promise<void>
  delete(docId: string): Promise<void>
  getMeta(docId: string): Promise<DocMeta | undefined>
  setMeta(docId: string, meta: DocMeta): Promise<void>
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
