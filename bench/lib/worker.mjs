// A load-generator process (forked by workers.mjs). It holds lightweight clients, sends
// pre-encoded frames on a schedule, and records what arrives, so that the parent can join
// send times with receive times across processes. Commands arrive over IPC as
// { id, cmd, args } and are answered with { id, result } or { id, error }.
import { readFileSync } from 'node:fs'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { now, sleep } from './clock.mjs'
import { LightClient } from './light-client.mjs'
import { encodeAwarenessUpdate, readAwarenessClocks } from './protocol.mjs'
import { LETTERS, paragraphUpdate } from './paragraph.mjs'
import { TEXT_NAME, loadDocument } from './real-client.mjs'
import { yjsApplyMs } from './trace.mjs'

/** A growable typed column, so that hundreds of thousands of receipts cost a few MB. */
class Column {
  constructor(Type, capacity = 1 << 14) {
    this.Type = Type
    this.data = new Type(capacity)
    this.length = 0
  }
  push(value) {
    if (this.length === this.data.length) {
      const grown = new this.Type(this.data.length * 2)
      grown.set(this.data)
      this.data = grown
    }
    this.data[this.length++] = value
  }
  take() {
    const out = this.data.slice(0, this.length)
    this.length = 0
    return out
  }
}

/** Receipts of other clients' edits and caret moves: (clientID, clock, length, receivedAt). */
const receipts = {
  recording: false,
  edits: { client: new Column(Uint32Array), clock: new Column(Uint32Array), len: new Column(Uint32Array), at: new Column(Float64Array) },
  carets: { client: new Column(Uint32Array), clock: new Column(Uint32Array), at: new Column(Float64Array) },
  frames: 0,
}

/** Ingest observer state: counts inserted and deleted characters as they are relayed. */
let observer = null

/** Everything this worker receives passes here. Decoding is the only per-frame work. */
function onFrame(client, frame, receivedAt) {
  if (observer && client === observer.client) {
    if (frame.kind === 'update' || frame.kind === 'step2') observeUpdate(frame.payload, receivedAt)
    return
  }
  if (!receipts.recording) return
  receipts.frames++
  if (frame.kind === 'update') {
    const { structs } = Y.decodeUpdate(frame.payload)
    for (const struct of structs) {
      if (!(struct instanceof Y.Item) || struct.id.client === client.clientID) continue
      receipts.edits.client.push(struct.id.client)
      receipts.edits.clock.push(struct.id.clock)
      receipts.edits.len.push(struct.length)
      receipts.edits.at.push(receivedAt)
    }
  } else if (frame.kind === 'awareness') {
    readAwarenessClocks(frame.payload, (clientID, clock) => {
      if (clientID === client.clientID) return
      receipts.carets.client.push(clientID)
      receipts.carets.clock.push(clock)
      receipts.carets.at.push(receivedAt)
    })
  }
}

function observeUpdate(update, receivedAt) {
  const { structs, ds } = Y.decodeUpdate(update)
  for (const struct of structs) if (struct instanceof Y.Item) observer.inserted += struct.length
  for (const items of ds.clients.values()) for (const item of items) observer.deleted += item.len
  if (observer.firstAt === 0) observer.firstAt = receivedAt
  observer.lastAt = receivedAt
  observer.onProgress?.()
}

/** @type {Map<string, LightClient & { typing?: { doc: Y.Doc, text: Y.Text }, caretClock?: number }>} */
const clients = new Map()
let cpuMark = process.cpuUsage()
/** Senders prepared for the next `run`. */
let scheduled = null

async function withConcurrency(items, limit, fn) {
  let next = 0
  const run = async () => {
    while (next < items.length) {
      const index = next++
      await fn(items[index], index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run))
}

function sleepUntil(at) {
  return sleep(Math.max(0, at - now()))
}

/**
 * Sends `sender.frames[k]` for k in [0, count) for every sender, sender i's k-th frame at
 * startAt + (phase_i + k) / rate seconds. Returns the actual send times and the lag
 * behind schedule (the generator's own delay, reported apart from the server's).
 */
async function runSchedule(senders, { rate, count, startAt }) {
  const ordered = [...senders].sort((a, b) => a.phase - b.phase)
  const times = ordered.map(() => new Float64Array(count))
  const period = 1000 / rate
  let maxLag = 0
  let lagSum = 0
  let k = 0
  let i = 0
  await new Promise((resolve) => {
    const tick = () => {
      while (k < count) {
        const sender = ordered[i]
        const due = startAt + (sender.phase + k) * period
        const t = now()
        if (due > t) {
          setTimeout(tick, due - t)
          return
        }
        sender.client.send(sender.frames[k])
        times[i][k] = t
        const lag = t - due
        lagSum += lag
        if (lag > maxLag) maxLag = lag
        if (++i === ordered.length) {
          i = 0
          k++
        }
      }
      resolve()
    }
    tick()
  })
  return {
    sends: ordered.map((sender, index) => ({ clientID: sender.client.clientID, clock0: sender.clock0, times: times[index] })),
    lag: { max: maxLag, mean: ordered.length && count ? lagSum / (ordered.length * count) : 0 },
  }
}

/** Sends `update` and resolves true once the server confirms it applied it (see requestSync). */
function sendAndConfirm(client, update) {
  client.send(client.codec.encodeUpdate(update))
  return client.requestSync()
}

const handlers = {
  /** Opens clients: [{ key, url, dialect, docName, token, clientID }]. With startAt, all start then. */
  async connect({ specs, concurrency = 100, startAt = 0, keepStep2 = false, timeoutMs = 30_000 }) {
    if (startAt) await sleepUntil(startAt)
    const syncMs = new Float64Array(specs.length)
    let failures = 0
    let firstError = null
    const startedAt = now()
    await withConcurrency(specs, concurrency, async (spec, index) => {
      const client = new LightClient({ ...spec, onFrame, keepStep2 })
      clients.set(spec.key, client)
      try {
        await client.open(timeoutMs)
        syncMs[index] = client.syncedAt - client.openedAt
      } catch (error) {
        failures++
        firstError ??= String(error.message ?? error)
        syncMs[index] = Number.NaN
      }
    })
    return { syncMs, failures, firstError, startedAt, doneAt: now() }
  },

  /** Pre-encodes, for each sender, `count` typed characters (appended to its own text) before the timed phase. */
  prepareEdits({ senders, count }) {
    scheduled = senders.map(({ key, phase }) => {
      const client = clients.get(key)
      if (!client.typing) {
        const doc = new Y.Doc()
        doc.clientID = client.clientID
        client.typing = { doc, text: doc.getText(TEXT_NAME) }
      }
      const { doc, text } = client.typing
      const clock0 = Y.getState(doc.store, client.clientID)
      const frames = []
      const onUpdate = (update) => frames.push(client.codec.encodeUpdate(update))
      doc.on('update', onUpdate)
      for (let k = 0; k < count; k++) text.insert(text.length, LETTERS[(clock0 + k) % LETTERS.length])
      doc.off('update', onUpdate)
      return { client, phase, clock0, frames }
    })
    return { frames: scheduled.reduce((sum, s) => sum + s.frames.length, 0) }
  },

  /** Pre-encodes, for each sender, `count` caret moves (awareness updates with increasing clocks). */
  prepareCarets({ senders, count }) {
    scheduled = senders.map(({ key, phase }) => {
      const client = clients.get(key)
      client.caretClock ??= 0
      const clock0 = client.caretClock + 1
      const frames = []
      for (let k = 0; k < count; k++) {
        const position = (clock0 + k) % 500
        const state = { user: { name: `bench-${client.clientID}`, color: '#30bced' }, cursor: { anchor: position, head: position } }
        frames.push(client.codec.encodeAwareness(encodeAwarenessUpdate(client.clientID, clock0 + k, state)))
      }
      client.caretClock += count
      return { client, phase, clock0, frames }
    })
    return { frames: scheduled.reduce((sum, s) => sum + s.frames.length, 0) }
  },

  /** Sends what prepareEdits/prepareCarets encoded, on schedule from `startAt`, recording receipts meanwhile. */
  async run({ rate, startAt }) {
    const senders = scheduled ?? []
    scheduled = null
    receipts.recording = true
    return runSchedule(senders, { rate, count: senders[0]?.frames.length ?? 0, startAt })
  },

  /** Hands over (and clears) what was received, the CPU used since the last call, and open-client counts. */
  collect() {
    const usage = process.cpuUsage(cpuMark)
    cpuMark = process.cpuUsage()
    receipts.recording = false
    const e = receipts.edits
    const c = receipts.carets
    let closed = 0
    for (const client of clients.values()) if (client.closed) closed++
    const frames = receipts.frames
    receipts.frames = 0
    return {
      cpuMicros: usage.user + usage.system,
      frames,
      edits: { client: e.client.take(), clock: e.clock.take(), len: e.len.take(), at: e.at.take() },
      carets: { client: c.client.take(), clock: c.clock.take(), at: c.at.take() },
      clients: clients.size,
      closed,
    }
  },

  /**
   * Replays the first `limit` updates of `file` (varUint length + bytes each) on client
   * `senderKey` as fast as the server takes them, while client `observerKey` counts the
   * characters the server relays. At most `window` updates are in flight (sent, not yet
   * relayed), so a slow server paces the sender instead of buffering the whole trace, and
   * sending can stop at `capMs` with a known prefix. Resolves once the observer has seen every
   * sent update (or `drainMs` after the last send).
   */
  async ingest({ senderKey, observerKey, file, limit = Infinity, window = 4_096, capMs, drainMs }) {
    const sender = clients.get(senderKey)
    const decoder = decoding.createDecoder(readFileSync(file))
    const frames = []
    while (decoding.hasContent(decoder) && frames.length < limit) frames.push(sender.codec.encodeUpdate(decoding.readVarUint8Array(decoder)))
    // Every update of the trace inserts or deletes exactly one character.
    const progress = () => (observer ? observer.inserted + observer.deleted : 0)
    let wake = null
    observer = { client: clients.get(observerKey), inserted: 0, deleted: 0, firstAt: 0, lastAt: 0, onProgress: () => wake?.() }
    const startedAt = now()
    let sent = 0
    try {
      while (sent < frames.length && now() - startedAt < capMs) {
        if (sender.closed) throw new Error(`sender closed (${sender.closeCode}) during ingest`)
        if (sent - progress() >= window || sender.bufferedAmount > 1 << 20) {
          // Wait for the observer to report progress (or 50 ms, to notice the cap or a dead server).
          await Promise.race([new Promise((resolve) => (wake = resolve)), sleep(50)])
          wake = null
          continue
        }
        const end = Math.min(frames.length, sent + 256)
        while (sent < end) sender.send(frames[sent++])
        await new Promise((resolve) => setImmediate(resolve))
      }
      const lastSentAt = now()
      const deadline = lastSentAt + drainMs
      while (progress() < sent && now() < deadline) await sleep(5)
      const { inserted, deleted, firstAt, lastAt } = observer
      return { startedAt, lastSentAt, sent, relayed: inserted + deleted, firstAt, lastAt, complete: inserted + deleted >= sent }
    } finally {
      observer = null
    }
  },

  /** Applies each kept sync step 2 to a fresh Y.Doc and returns the text lengths (off the clock). */
  verifyStep2({ keys }) {
    return keys.map((key) => {
      const step2 = clients.get(key)?.step2
      if (!step2) return -1
      const doc = new Y.Doc()
      Y.applyUpdate(doc, step2)
      const length = doc.getText(TEXT_NAME).length
      doc.destroy()
      return length
    })
  },

  /** Sends one update on client `key` and resolves once the server has answered a later sync step 1. */
  async seed({ key, update }) {
    return { ok: await sendAndConfirm(clients.get(key), update) }
  },

  /** Each client in `keys` writes a paragraph of `chars` characters as one update (confirmed). */
  async writeParagraphs({ keys, chars, concurrency = 64 }) {
    let failures = 0
    await withConcurrency(keys, concurrency, async (key) => {
      if (!(await sendAndConfirm(clients.get(key), paragraphUpdate(clients.get(key).clientID, chars)))) failures++
    })
    return { failures }
  },

  /**
   * Creates stored documents: for each spec, connect, write a paragraph, wait for the server
   * to confirm, disconnect. Connections are not kept.
   */
  async writeDocs({ specs, chars, concurrency = 64 }) {
    let failures = 0
    let firstError = null
    await withConcurrency(specs, concurrency, async (spec) => {
      const client = new LightClient({ ...spec, onFrame })
      try {
        await client.open()
        if (!(await sendAndConfirm(client, paragraphUpdate(spec.clientID, chars)))) throw new Error('write not confirmed')
      } catch (error) {
        failures++
        firstError ??= String(error.message ?? error)
      } finally {
        await client.close()
      }
    })
    return { failures, firstError }
  },

  /** A real Yjs client loads the document; see real-client.mjs. */
  /**
   * A fresh real client loads a document. Given the document's `state`, Yjs's apply of it is
   * measured in this process too, and first done 3 times, so the client's Yjs code is as warm
   * as in that measurement and the comparison is of what the server and the network add.
   */
  async loadDocument({ spec, expectLength, timeoutMs, state }) {
    if (!state) return loadDocument(spec, { expectLength, timeoutMs })
    yjsApplyMs(state, 3)
    const loaded = await loadDocument(spec, { expectLength, timeoutMs })
    return { ...loaded, yjsApplyMs: yjsApplyMs(state).median }
  },

  /** Closes clients (`keys`, or all): with a close handshake, or `abrupt`ly for clean-up. */
  async close({ keys, concurrency = 200, abrupt = false } = {}) {
    const selected = keys ? keys.map((key) => [key, clients.get(key)]).filter(([, c]) => c) : [...clients]
    await withConcurrency(selected, concurrency, async ([key, client]) => {
      await client.close(2_000, { abrupt })
      client.typing?.doc.destroy()
      clients.delete(key)
    })
    return { open: clients.size }
  },
}

process.on('message', async ({ id, cmd, args }) => {
  try {
    const result = await handlers[cmd](args ?? {})
    process.send({ id, result })
  } catch (error) {
    process.send({ id, error: String(error?.stack ?? error) })
  }
})
process.on('disconnect', () => process.exit(0))
