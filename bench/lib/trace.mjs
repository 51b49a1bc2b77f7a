// The automerge-paper typing trace (../shared/data, never copied into the repository),
// replayed once into a Y.Doc as one update per edit and cached as a binary file:
// a sequence of varUint length + update bytes.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { now } from './clock.mjs'
import { TEXT_NAME } from './real-client.mjs'

export const TRACE_FILE = fileURLToPath(new URL('../../../shared/data/automerge-paper.json.gz', import.meta.url))

/**
 * Returns { updatesFile, edits, inserted, deleted, endContent, state, replayMs }.
 * `state` is the final document encoded as one update; `inserted`/`deleted` count characters.
 */
export function prepareTrace() {
  if (!existsSync(TRACE_FILE)) throw new Error(`trace not found: ${TRACE_FILE} (the benchmark reads ../shared/data)`)
  const { size, mtimeMs } = statSync(TRACE_FILE)
  const cacheDir = join(tmpdir(), 'cowrite-bench-cache')
  const key = createHash('sha256').update(`v1|${size}|${mtimeMs}|${Y.encodeStateVector(new Y.Doc()).length}`).digest('hex').slice(0, 16)
  const updatesFile = join(cacheDir, `automerge-paper-${key}.updates`)
  const metaFile = `${updatesFile}.json`
  const trace = JSON.parse(gunzipSync(readFileSync(TRACE_FILE)).toString('utf8'))

  if (existsSync(updatesFile) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'))
    const doc = new Y.Doc()
    const decoder = decoding.createDecoder(readFileSync(updatesFile))
    Y.transact(doc, () => {
      while (decoding.hasContent(decoder)) Y.applyUpdate(doc, decoding.readVarUint8Array(decoder))
    })
    if (doc.getText(TEXT_NAME).toString() === trace.endContent) {
      return { ...meta, updatesFile, endContent: trace.endContent, state: Y.encodeStateAsUpdate(doc) }
    }
  }

  const startedAt = now()
  const doc = new Y.Doc()
  doc.clientID = 1
  const text = doc.getText(TEXT_NAME)
  const encoder = encoding.createEncoder()
  let edits = 0
  doc.on('update', (update) => {
    encoding.writeVarUint8Array(encoder, update)
    edits++
  })
  let deleted = 0
  for (const txn of trace.txns) {
    for (const [position, deleteCount, insertText] of txn.patches) {
      // One transaction per patch: the trace is single-character edits, so one update per edit.
      doc.transact(() => {
        if (deleteCount > 0) text.delete(position, deleteCount)
        if (insertText) text.insert(position, insertText)
      })
      deleted += deleteCount
    }
  }
  if (text.toString() !== trace.endContent) throw new Error('replaying the trace did not give endContent')
  const meta = { edits, inserted: Y.getState(doc.store, doc.clientID), deleted, replayMs: now() - startedAt }
  mkdirSync(cacheDir, { recursive: true })
  writeFileSync(`${updatesFile}.tmp`, encoding.toUint8Array(encoder))
  renameSync(`${updatesFile}.tmp`, updatesFile)
  writeFileSync(metaFile, JSON.stringify(meta))
  return { ...meta, updatesFile, endContent: trace.endContent, state: Y.encodeStateAsUpdate(doc) }
}

/** Median time (ms) Yjs takes to apply `state` to a fresh Y.Doc in this process. */
export function yjsApplyMs(state, runs = 7) {
  const times = []
  for (let i = 0; i < runs; i++) {
    const startedAt = now()
    const doc = new Y.Doc()
    Y.applyUpdate(doc, state)
    doc.getText(TEXT_NAME).toString()
    times.push(now() - startedAt)
    doc.destroy()
  }
  times.sort((a, b) => a - b)
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times.at(-1) }
}

/**
 * What the first `limit` updates of the trace amount to: { edits, inserted, deleted, text, state }
 * (for --quick, which replays a prefix).
 */
export function tracePrefix(trace, limit) {
  if (limit >= trace.edits) return { edits: trace.edits, inserted: trace.inserted, deleted: trace.deleted, text: trace.endContent, state: trace.state }
  const doc = new Y.Doc()
  const decoder = decoding.createDecoder(readFileSync(trace.updatesFile))
  let deleted = 0
  let edits = 0
  while (decoding.hasContent(decoder) && edits < limit) {
    const update = decoding.readVarUint8Array(decoder)
    for (const items of Y.decodeUpdate(update).ds.clients.values()) for (const item of items) deleted += item.len
    Y.applyUpdate(doc, update)
    edits++
  }
  const text = doc.getText(TEXT_NAME).toString()
  return { edits, inserted: Y.getState(doc.store, 1), deleted, text, state: Y.encodeStateAsUpdate(doc) }
}
