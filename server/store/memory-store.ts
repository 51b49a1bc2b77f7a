import { type DocMeta, type DocStore, EMPTY_META, StoreError } from './doc-store'

/**
 * In-memory DocStore for tests, with the same contract as LevelDocStore.
 * `failWrites` makes every write fail (and be retried) until it is set back to false.
 */
export class MemoryDocStore implements DocStore {
  readonly #updates = new Map<string, Uint8Array[]>()
  readonly #metas = new Map<string, DocMeta>()
  readonly #bytes = new Map<string, number>()
  readonly #headStateVectors = new Map<string, Uint8Array>()
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

  read(docId: string): Promise<Uint8Array[]> {
    return this.load(docId)
  }

  append(docId: string, update: Uint8Array): void {
    void this.#write(() => {
      const log = this.#updates.get(docId) ?? []
      log.push(update)
      this.#updates.set(docId, log)
      this.#bytes.set(docId, (this.#bytes.get(docId) ?? 0) + update.byteLength)
      this.#touch(docId)
    })
  }

  compact(docId: string, state: Uint8Array, options: { stateVector?: Uint8Array } = {}): void {
    void this.#write(() => {
      this.#updates.set(docId, [state])
      if (options.stateVector) this.#headStateVectors.set(docId, options.stateVector)
      else this.#headStateVectors.delete(docId)
      this.#bytes.set(docId, state.byteLength)
      this.#touch(docId)
    })
  }

  headStateVector(docId: string): Uint8Array | undefined {
    return this.#headStateVectors.get(docId)
  }

  delete(docId: string): Promise<void> {
    return this.#write(() => {
      this.#updates.delete(docId)
      this.#headStateVectors.delete(docId)
      this.#bytes.delete(docId)
      this.#metas.delete(docId)
    })
  }

  async getMeta(docId: string): Promise<DocMeta | undefined> {
    return this.#metas.get(docId)
  }

  async updateMeta(docId: string, patch: Partial<DocMeta>): Promise<DocMeta> {
    let meta = EMPTY_META
    await this.#write(() => {
      meta = { ...EMPTY_META, ...this.#metas.get(docId), ...patch }
      this.#metas.set(docId, meta)
    })
    return meta
  }

  #touch(docId: string): void {
    this.#metas.set(docId, { ...EMPTY_META, ...this.#metas.get(docId), updatedAt: Date.now(), bytes: this.storedBytes(docId) })
  }

  async *listDocIds(): AsyncIterable<string> {
    yield* [...this.#metas.keys()]
  }

  storedBytes(docId: string): number {
    return this.#bytes.get(docId) ?? 0
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
