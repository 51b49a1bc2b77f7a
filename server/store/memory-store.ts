import { type DocMeta, type DocStore, StoreError } from './doc-store'

/**
 * In-memory DocStore for tests, with the same contract as LevelDocStore.
 * `failWrites` makes every write fail (and be retried) until it is set back to false.
 */
export class MemoryDocStore implements DocStore {
  readonly #updates = new Map<string, Uint8Array[]>()
  readonly #metas = new Map<string, DocMeta>()
  #pending: Promise<void> = Promise.resolve()
  #healthy = true
  #closed = false
  failWrites = false

  get healthy(): boolean {
    return this.#healthy
  }

  async load(docId: string): Promise<Uint8Array[]> {
    this.#assertOpen()
    await this.#pending
    return [...(this.#updates.get(docId) ?? [])]
  }

  append(docId: string, update: Uint8Array): Promise<void> {
    return this.#write(() => {
      const log = this.#updates.get(docId) ?? []
      log.push(update)
      this.#updates.set(docId, log)
      this.#metas.set(docId, { ...(this.#metas.get(docId) ?? { linkGeneration: 0 }), updatedAt: Date.now() })
    })
  }

  compact(docId: string, state: Uint8Array): Promise<void> {
    return this.#write(() => this.#updates.set(docId, [state]))
  }

  delete(docId: string): Promise<void> {
    return this.#write(() => {
      this.#updates.delete(docId)
      this.#metas.delete(docId)
    })
  }

  async getMeta(docId: string): Promise<DocMeta | undefined> {
    return this.#metas.get(docId)
  }

  setMeta(docId: string, meta: DocMeta): Promise<void> {
    return this.#write(() => this.#metas.set(docId, meta))
  }

  async *listDocIds(): AsyncIterable<string> {
    yield* [...this.#metas.keys()]
  }

  storedBytes(docId: string): number {
    return (this.#updates.get(docId) ?? []).reduce((sum, u) => sum + u.byteLength, 0)
  }

  release(): void {}

  flush(): Promise<void> {
    return this.#pending
  }

  async close(): Promise<void> {
    await this.flush()
    this.#closed = true
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreError('the store is closed')
  }

  /** Writes run one after another in call order; a failing write is retried until it succeeds. */
  #write(apply: () => void): Promise<void> {
    this.#assertOpen()
    this.#pending = this.#pending.then(async () => {
      while (this.failWrites) {
        this.#healthy = false
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      this.#healthy = true
      apply()
    })
    return this.#pending
  }
}
