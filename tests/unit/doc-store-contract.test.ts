import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { newDocId } from '../../lib/doc-id'
import type { DocStore } from '../../server/store/doc-store'
import { Level } from 'level'
import { LevelDocStore } from '../../server/store/level-store'
import { MemoryDocStore } from '../../server/store/memory-store'

type Harness = { open(): Promise<DocStore>; reopen?(store: DocStore): Promise<DocStore>; cleanup(): void }

const silent = pino({ level: 'silent' })
const implementations: Record<string, () => Harness> = {
  memory: () => ({ open: async () => new MemoryDocStore(), cleanup() {} }),
  leveldb: () => {
    const dir = mkdtempSync(join(tmpdir(), 'cowrite-store-'))
    return {
      open: () => LevelDocStore.open(dir, silent),
      async reopen(store) {
        await store.close()
        return LevelDocStore.open(dir, silent)
      },
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    }
  },
}

const bytes = (...values: number[]) => new Uint8Array(values)
const diskBytes = (dir: string) => readdirSync(dir).reduce((sum, file) => sum + statSync(join(dir, file)).size, 0)

/** Types `count` characters into a new Y.Doc whose every update is appended to `docId`. */
function typeInto(store: LevelDocStore, docId: string, count: number, doc = new Y.Doc()): Y.Doc {
  doc.on('update', (update: Uint8Array) => store.append(docId, update))
  for (let i = 0; i < count; i++) doc.getText('t').insert(doc.getText('t').length, 'abcdefghij'[i % 10])
  return doc
}

/** The object on `proto`'s chain that has `name` as its own property: where a spy must go. */
function ownerOf<T extends object>(proto: T, name: string): Record<string, (...args: unknown[]) => unknown> {
  let owner: object | null = proto
  while (owner && !Object.hasOwn(owner, name)) owner = Object.getPrototypeOf(owner)
  if (!owner) throw new Error(`nothing on the chain has ${name}`)
  return owner as Record<string, (...args: unknown[]) => unknown>
}

/** Where the `write` of `db`'s chained batches is defined. */
async function chainedBatchPrototypeOf(db: Level): Promise<Record<string, (...args: unknown[]) => unknown>> {
  await db.open()
  const batch = db.batch()
  await batch.close()
  return ownerOf(batch, 'write')
}

for (const [name, make] of Object.entries(implementations)) {
  describe(`DocStore contract: ${name}`, () => {
    let harness: Harness
    let store: DocStore

    async function setup(): Promise<void> {
      harness = make()
      store = await harness.open()
    }

    afterEach(async () => {
      await store.close()
      harness.cleanup()
    })

    it('loads a document never stored as no updates', async () => {
      await setup()
      expect(await store.load(newDocId())).toEqual([])
    })

    it('returns appended updates in order, and keeps them across a reopen', async () => {
      await setup()
      const docId = newDocId()
      await store.load(docId)
      store.append(docId, bytes(1))
      store.append(docId, bytes(2, 2))
      store.append(docId, bytes(3))
      await store.flush()
      expect(await store.load(docId)).toEqual([bytes(1), bytes(2, 2), bytes(3)])
      expect(store.storedBytes(docId)).toBe(4)
      if (harness.reopen) {
        store = await harness.reopen(store)
        expect(await store.load(docId)).toEqual([bytes(1), bytes(2, 2), bytes(3)])
      }
    })

    it('compaction replaces everything before it, queued appends included, and appends continue after it', async () => {
      await setup()
      const docId = newDocId()
      await store.load(docId)
      store.append(docId, bytes(1))
      store.append(docId, bytes(2))
      store.compact(docId, bytes(9, 9))
      store.append(docId, bytes(4))
      await store.flush()
      expect(await store.load(docId)).toEqual([bytes(9, 9), bytes(4)])
      if (harness.reopen) {
        store = await harness.reopen(store)
        expect(await store.load(docId)).toEqual([bytes(9, 9), bytes(4)])
      }
    })

    it('keeps the state vector given with a compaction for as long as that state heads the log', async () => {
      await setup()
      const docId = newDocId()
      await store.load(docId)
      store.append(docId, bytes(1))
      store.compact(docId, bytes(9, 9), { stateVector: bytes(1, 5, 2) })
      store.append(docId, bytes(4))
      await store.flush()
      expect(store.headStateVector(docId)).toEqual(bytes(1, 5, 2))
      if (harness.reopen) store = await harness.reopen(store)
      expect(await store.load(docId)).toEqual([bytes(9, 9), bytes(4)])
      expect(store.headStateVector(docId)).toEqual(bytes(1, 5, 2))
      // A compaction without one (a restore from an old backup, say) leaves none.
      store.compact(docId, bytes(8))
      await store.flush()
      if (harness.reopen) store = await harness.reopen(store)
      expect(await store.load(docId)).toEqual([bytes(8)])
      expect(store.headStateVector(docId)).toBeUndefined()
    })

    it('flush resolves once everything queued before it is written, also during a write', async () => {
      await setup()
      const docId = newDocId()
      await store.load(docId)
      store.append(docId, bytes(1))
      const first = store.flush()
      store.append(docId, bytes(2))
      // A flush asked for while the first batch is being written waits for the second batch.
      const second = store.flush()
      await Promise.all([first, second])
      expect(await store.load(docId)).toEqual([bytes(1), bytes(2)])
      await store.flush()
    })

    it('keeps metadata and lists stored documents; delete removes both', async () => {
      await setup()
      const a = newDocId()
      const b = newDocId()
      await store.load(a)
      await store.load(b)
      store.append(a, bytes(1))
      await store.flush()
      store.release(a)
      await store.flush()
      expect(await store.updateMeta(b, { linkGeneration: 2 })).toMatchObject({ linkGeneration: 2, title: '' })
      expect(await store.updateMeta(b, { title: 'Plans' })).toMatchObject({ linkGeneration: 2, title: 'Plans' })
      expect((await store.getMeta(b))?.linkGeneration).toBe(2)
      expect(await store.getMeta(a)).toMatchObject({ bytes: 1, linkGeneration: 0 })
      expect((await store.getMeta(a))?.updatedAt).toBeGreaterThan(0)
      expect(await store.read(a)).toEqual([bytes(1)])
      const ids: string[] = []
      for await (const id of store.listDocIds()) ids.push(id)
      expect(ids.sort()).toEqual([a, b].sort())
      await store.delete(a)
      expect(await store.load(a)).toEqual([])
      expect(await store.getMeta(a)).toBeUndefined()
    })
  })
}

describe('LevelDocStore on disk', () => {
  it('shrinks to about the encoded state once a compacted document is closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cowrite-store-'))
    try {
      const store = await LevelDocStore.open(dir, silent)
      const docId = newDocId()
      await store.load(docId)
      const doc = new Y.Doc()
      for (let i = 0; i < 5; i++) {
        typeInto(store, docId, 1000, doc)
        store.compact(docId, Y.encodeStateAsUpdate(doc))
      }
      await store.close()
      expect(diskBytes(dir)).toBeLessThanOrEqual(2 * Y.encodeStateAsUpdate(doc).byteLength + 4096)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('shrinks a document compacted at the end of a burst once the interval has passed, though nothing is written after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cowrite-store-'))
    const store = await LevelDocStore.open(dir, silent, { diskCompactionIntervalMs: 400 })
    try {
      const docId = newDocId()
      await store.load(docId)
      // The first compaction shrinks at once; the second comes within the interval, so its shrink waits.
      const doc = typeInto(store, docId, 2000)
      await store.flush()
      store.compact(docId, Y.encodeStateAsUpdate(doc))
      await store.flush()
      typeInto(store, docId, 5000, doc)
      await store.flush()
      const written = diskBytes(dir)
      store.compact(docId, Y.encodeStateAsUpdate(doc))
      await store.flush()
      const bound = 2 * Y.encodeStateAsUpdate(doc).byteLength + 4096
      expect(written).toBeGreaterThan(2 * bound)
      const deadline = Date.now() + 3_000
      while (diskBytes(dir) > bound && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
      expect(diskBytes(dir)).toBeLessThanOrEqual(bound)
    } finally {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('syncs every batch to the disk before it is reported written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cowrite-store-'))
    // The real LevelDB's batches, watched for their options (they still write): the store
    // builds chained batches, and any array batch would show on the database's own batch().
    const probe = new Level(join(dir, 'probe'))
    const chained = await chainedBatchPrototypeOf(probe)
    await probe.close()
    const writes = vi.spyOn(chained, 'write')
    const arrays = vi.spyOn(ownerOf(Level.prototype, 'batch'), 'batch')
    const store = await LevelDocStore.open(join(dir, 'store'), silent)
    try {
      const docId = newDocId()
      await store.load(docId)
      store.append(docId, bytes(1))
      await store.updateMeta(docId, { title: 'synced' })
      await store.flush()
      expect(writes).toHaveBeenCalled()
      for (const [options] of writes.mock.calls) expect(options).toEqual({ sync: true })
      for (const [, options] of arrays.mock.calls.filter(([ops]) => ops !== undefined)) expect(options).toEqual({ sync: true })
    } finally {
      writes.mockRestore()
      arrays.mockRestore()
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('LevelDocStore format version', () => {
  it('refuses a store written by a newer format instead of touching it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cowrite-store-'))
    try {
      const db = new Level<string, string>(dir)
      await db.put('format', '99')
      await db.close()
      await expect(LevelDocStore.open(dir, silent)).rejects.toThrow(/format 99.*newer cowrite/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
