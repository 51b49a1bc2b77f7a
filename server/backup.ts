import * as Y from 'yjs'
import { isDocId } from '../lib/doc-id'
import { mergeUpdates } from '../lib/merge-updates'
import type { Rooms } from './rooms'
import { type DocMeta, type DocStore, EMPTY_META } from './store/doc-store'

/**
 * Backups are JSON lines: a header, then one line per document with its metadata (link
 * generation included, so revoked links stay revoked) and its whole state as one Yjs update.
 * A live document is taken from memory, so edits not yet written are in the backup too. A
 * deleted document is a line with its metadata and no state: restored, its tombstone keeps its
 * old links from opening a new, empty document.
 */
export const BACKUP_FORMAT = 'cowrite-backup'
export const BACKUP_VERSION = 1

type Header = { format: typeof BACKUP_FORMAT; version: number; createdAt: string }
type Entry = { docId: string; meta: DocMeta; state?: string }

export async function* backupLines(store: DocStore, rooms: Rooms): AsyncGenerator<string> {
  const header: Header = { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: new Date().toISOString() }
  yield JSON.stringify(header) + '\n'
  for await (const docId of store.listDocIds()) {
    const meta = { ...EMPTY_META, ...(await store.getMeta(docId)) }
    if (meta.deleted) {
      yield JSON.stringify({ docId, meta } satisfies Entry) + '\n'
      continue
    }
    const live = rooms.liveState(docId)
    const updates = live ? [live] : await store.read(docId)
    if (updates.length === 0) continue
    const state = mergeUpdates(updates)
    const entry: Entry = { docId, meta, state: Buffer.from(state).toString('base64') }
    yield JSON.stringify(entry) + '\n'
  }
}

export class BackupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'BackupError'
  }
}

/** Loads a backup into an empty store. Every line is checked before anything is written. */
export async function restoreBackup(store: DocStore, lines: AsyncIterable<string>): Promise<number> {
  for await (const _ of store.listDocIds()) throw new BackupError('the data directory already holds documents: restore into an empty DATA_DIR')
  const entries: Array<{ docId: string; meta: DocMeta; state: Uint8Array | null; stateVector?: Uint8Array }> = []
  let header: Header | undefined
  let lineNo = 0
  for await (const line of lines) {
    lineNo++
    if (line.trim() === '') continue
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch (cause) {
      throw new BackupError(`line ${lineNo} is not JSON`, { cause })
    }
    if (!header) {
      const h = parsed as Header
      if (h?.format !== BACKUP_FORMAT) throw new BackupError('not a cowrite backup (the first line has no cowrite-backup header)')
      if (!(h.version <= BACKUP_VERSION)) throw new BackupError(`backup version ${h.version} is newer than this cowrite reads (${BACKUP_VERSION})`)
      header = h
      continue
    }
    const entry = parsed as Entry
    if (!isDocId(entry?.docId)) throw new BackupError(`line ${lineNo} is not a document entry`)
    const meta = { ...EMPTY_META, ...entry.meta }
    if (entry.state === undefined && meta.deleted === true) {
      entries.push({ docId: entry.docId, meta, state: null })
      continue
    }
    if (typeof entry.state !== 'string') throw new BackupError(`line ${lineNo} is not a document entry`)
    const state = new Uint8Array(Buffer.from(entry.state, 'base64'))
    const doc = new Y.Doc()
    try {
      Y.applyUpdate(doc, state)
    } catch (cause) {
      throw new BackupError(`line ${lineNo}: the state of ${entry.docId} is not a valid Yjs update`, { cause })
    }
    // Its state vector is stored with it, as compaction stores it: a cold load then decodes nothing to greet.
    entries.push({ docId: entry.docId, meta, state, stateVector: Y.encodeStateVector(doc) })
  }
  if (!header) throw new BackupError('the backup is empty')
  for (const { docId, meta, state, stateVector } of entries) {
    if (!state) {
      await store.updateMeta(docId, meta) // a tombstone
      continue
    }
    await store.load(docId)
    store.compact(docId, state, { stateVector })
    await store.updateMeta(docId, meta)
    store.release(docId)
  }
  await store.flush()
  return entries.filter((entry) => entry.state).length
}
