// Each scenario: (ctx) => data, running every selected server in turn and printing its tables.
import { fmt } from '../lib/stats.mjs'
import { tracePrefix } from '../lib/trace.mjs'
import { fanoutRows, fanoutShape, fanoutShapes, fanoutStepUp } from './fanout.mjs'
import { idleRun, idleShape } from './idle.mjs'
import { ingestAndReload } from './ingest.mjs'
import { joinRun, joinShape } from './join.mjs'
import { memoryRun, memoryShape } from './memory.mjs'
import { presenceRun, presenceShape } from './presence.mjs'

/** { server: f(result) } for a table row; failed runs show 'error', skipped ones 'n/a'. */
const picker = (ctx, results) => (f) =>
  Object.fromEntries(
    ctx.servers.map((s) => {
      const r = results[s]
      if (r instanceof Error) return [s, 'error']
      if (r === undefined || r === null) return [s, 'n/a']
      const v = f(r)
      return [s, v === undefined || v === null ? 'n/a' : v]
    }),
  )

const errorsNote = (results) =>
  Object.entries(results)
    .filter(([, r]) => r instanceof Error)
    .map(([s, r]) => `${s} failed: ${r.message.split('\n')[0]}`)
    .join('; ')

const withErrors = (note, results) => [note, errorsNote(results)].filter(Boolean).join(' ')

async function fanout(ctx) {
  const data = []
  for (const shape of fanoutShapes(ctx.quick)) {
    const label = `${shape.docs}×${shape.perDoc}`
    const results = await ctx.eachServer(`fanout ${label}`, (def) => fanoutShape(ctx, def, shape))
    const editsPerS = shape.docs * shape.perDoc * shape.rate
    ctx.table({
      title: `Fan-out: ${shape.docs} docs × ${shape.perDoc} clients, ${shape.rate} edits/s each, ${shape.seconds} s`,
      note: withErrors(
        `${fmt.int(editsPerS)} edits/s in, ${fmt.int(editsPerS * (shape.perDoc - 1))} deliveries/s expected. Latency: from send to receipt at every other client of the document. Server CPU includes a 2 s drain after the last send.`,
        results,
      ),
      rows: fanoutRows(results, ctx.servers),
    })
    data.push({ shape, results })
  }
  return data
}

async function stepup(ctx) {
  const shape = ctx.quick
    ? { docs: 20, perDoc: 10, rates: [2, 4, 8, 16], seconds: 2, drainMs: 1_000 }
    : { docs: 100, perDoc: 10, rates: [1, 2, 3, 4, 6, 8, 11, 15], seconds: 3, drainMs: 1_000 }
  const results = await ctx.eachServer('stepup', (def) => fanoutStepUp(ctx, def, shape))
  const pick = picker(ctx, results)
  const perStep = (rate, f) =>
    pick((r) => {
      const step = r.steps.find((s) => s.rate === rate)
      return step ? f(step) : '–'
    })
  ctx.table({
    title: `Step-up: ${shape.docs} docs × ${shape.perDoc} clients, the rate raised every ${shape.seconds} s (+1 s drain) until p99 > 100 ms`,
    note: withErrors(
      'Highest load held: the last step with p99 ≤ 100 ms and every edit delivered. Client CPU shows when the load generator, not the server, is the limit (all processes share 2 cores).',
      results,
    ),
    rows: [
      { label: 'highest load held (deliveries/s)', better: 'higher', format: fmt.int, values: pick((r) => r.held?.deliveriesPerS ?? 0) },
      { label: 'at rate (edits/s per client)', better: '', format: fmt.num1, values: pick((r) => r.held?.rate ?? 0) },
      ...shape.rates.map((rate) => ({
        label: `p99 ms at ${rate}/s (${fmt.int(shape.docs * shape.perDoc * rate * (shape.perDoc - 1))} del/s)`,
        better: 'lower',
        format: fmt.ms,
        values: perStep(rate, (s) => s.p99),
      })),
      { label: 'stopped by', better: '', values: pick((r) => r.stoppedBy) },
      { label: 'server CPU at last step (% core)', better: '', format: fmt.pct, values: pick((r) => r.steps.at(-1)?.serverCpuPct) },
      { label: 'client CPU at last step (% core)', better: '', format: fmt.pct, values: pick((r) => r.steps.at(-1)?.clientCpuPct) },
      { label: 'other processes at last step (% core)', better: '', format: fmt.pct, values: pick((r) => r.steps.at(-1)?.othersCpuPct) },
    ],
  })
  return { shape, results }
}

async function ingest(ctx) {
  const trace = ctx.trace()
  const results = await ctx.eachServer('ingest', (def) => ingestAndReload(ctx, def))
  const pick = picker(ctx, results)
  const limit = Object.values(results).find((r) => r && !(r instanceof Error))?.limit ?? trace.edits
  ctx.table({
    title: `Ingest: one client replays ${fmt.int(limit)} single-edit updates of the trace as fast as the server takes them`,
    note: withErrors(
      `A second client counts what the server relays: ingest ends when it has every edit. At most 4,096 edits are in flight, and sending stops after ${ctx.quick ? 15 : 45} s: a slower server is measured on the edits it took, then gets the rest as one update. "Store settled": the last change of the files in the data directory (size or mtime) after the last update, followed by 3 s of quiet; then the server is killed with SIGKILL, restarted, and a fresh stock client reads the document back.`,
      results,
    ),
    rows: [
      { label: 'updates taken in per second', better: 'higher', format: fmt.int, values: pick((r) => r.updatesPerS) },
      { label: 'edits sent one by one', better: '', values: pick((r) => `${fmt.int(r.sent)}${r.capped ? ' (capped)' : ''}`) },
      { label: 'ingest time (s)', better: '', format: fmt.num2, values: pick((r) => r.ingestS) },
      { label: 'relayed: last edit after last send (s)', better: 'lower', format: fmt.num2, values: pick((r) => r.relayLagS) },
      { label: 'store settled after last update (s)', better: 'lower', format: fmt.num2, values: pick((r) => (r.settleS === undefined ? 'n/a' : r.settled ? r.settleS : 'not settled')) },
      {
        label: 'after SIGKILL + restart: text',
        better: '',
        values: pick((r) => (r.recoveredChars === undefined ? 'n/a' : `${r.recoveredExact ? 'exact' : 'WRONG'} (${fmt.int(r.recoveredChars)}/${fmt.int(r.expectedChars)})`)),
      },
      { label: 'server CPU during ingest (s)', better: 'lower', format: fmt.num2, values: pick((r) => r.serverCpuS) },
      { label: 'server CPU per update (µs)', better: 'lower', format: fmt.num1, values: pick((r) => (r.serverCpuS * 1e6) / r.sent) },
      { label: 'peak RSS (MiB)', better: 'lower', format: fmt.mib, values: pick((r) => r.peakRss) },
      { label: 'store size after ingest (KiB)', better: 'lower', format: fmt.int, values: pick((r) => (r.storeBytesAfterIngest === undefined ? 'n/a' : r.storeBytesAfterIngest / 1024)) },
      { label: 'other processes (% of a core)', better: '', format: fmt.pct, values: pick((r) => r.othersCpuPct) },
    ],
  })
  return results
}

async function coldload(ctx) {
  const trace = ctx.trace()
  const defs = ctx.defs.filter((d) => d.persistent)
  const results = {}
  for (const def of defs) {
    try {
      results[def.name] = await ingestAndReload(ctx, def)
    } catch (error) {
      results[def.name] = error
    }
  }
  const pick = picker(ctx, results)
  const limit = Object.values(results).find((r) => r && !(r instanceof Error))?.limit ?? trace.edits
  const stateBytes = tracePrefix(trace, limit).state.length
  ctx.table({
    title: 'Cold load: the trace stored as it was ingested (one update per edit), server restarted after SIGKILL, one fresh client per restart',
    note: withErrors(
      `The document's encoded state is ${fmt.int(stateBytes)} bytes (encodeStateAsUpdate, v1). Each server is killed and restarted ${ctx.quick ? 'once' : 'three times'}, each time on a copy of its store as the crash left it, with one cold load after each restart; the figures are those of the load with the median time to full text. "Yjs in-process": the median of 7 applications of that state to a fresh Y.Doc in the client's own load-generator process, measured right after that cold load; before connecting, that process applied the state 3 times, and before the first measured load it did one unmeasured load the same way from a throwaway server on another copy of the store, so that the client's code (provider, socket, Yjs) and heap are as warm for every load as for the in-process figure and the ratio shows what the server and the network add. The client is the stock provider (y-websocket's WebsocketProvider; HocuspocusProvider for Hocuspocus). The relay stores nothing.`,
      results,
    ),
    rows: [
      { label: 'restart: spawn to answering HTTP (ms)', better: 'lower', format: fmt.ms, values: pick((r) => r.restartMs) },
      { label: 'connect to socket open (ms)', better: '', format: fmt.ms, values: pick((r) => r.coldOpenMs) },
      { label: 'connect to first message (ms)', better: '', format: fmt.ms, values: pick((r) => r.coldFirstMessageMs) },
      { label: 'connect to "synced" (ms)', better: '', format: fmt.ms, values: pick((r) => r.coldSyncedMs) },
      { label: 'text length when "synced"', better: '', format: fmt.int, values: pick((r) => r.coldLengthAtSynced) },
      { label: 'connect to full text (ms)', better: 'lower', format: fmt.ms, values: pick((r) => r.coldFullMs ?? 'never') },
      { label: 'connect to full text, each load (ms)', better: '', values: pick((r) => r.coldFullEach.map((ms) => (ms === null ? 'never' : fmt.ms(ms))).join(', ')) },
      { label: 'Yjs in-process (ms)', better: '', format: fmt.ms, values: pick((r) => r.yjsApplyMs) },
      { label: 'full text ÷ Yjs in-process', better: 'lower', format: (v) => `${fmt.num1(v)}×`, values: pick((r) => (r.coldFullMs ? r.coldFullMs / r.yjsApplyMs : 'n/a')) },
      { label: 'store after ingest ÷ encoded state', better: 'lower', format: (v) => `${fmt.num1(v)}×`, values: pick((r) => r.storeBytesAfterIngest / stateBytes) },
      { label: 'store after reload + stop ÷ state', better: 'lower', format: (v) => `${fmt.num1(v)}×`, values: pick((r) => r.storeBytesAfterReload / stateBytes) },
      { label: 'other processes (% of a core)', better: '', format: fmt.pct, values: pick((r) => r.coldOthersCpuPct) },
    ],
  })
  return { stateBytes }
}

async function presence(ctx) {
  const shape = presenceShape(ctx.quick)
  const results = await ctx.eachServer('presence', (def) => presenceRun(ctx, def, shape))
  const pick = picker(ctx, results)
  ctx.table({
    title: `Presence: ${shape.clients} clients on one document, each moving its caret ${shape.rate}×/s for ${shape.seconds} s`,
    note: withErrors(
      `${fmt.int(shape.clients * shape.rate)} awareness updates/s in, ${fmt.int(shape.clients * shape.rate * (shape.clients - 1))} deliveries/s expected. Latency: from a move to its receipt at every other client.`,
      results,
    ),
    rows: [
      { label: 'server CPU (% of a core)', better: 'lower', format: fmt.pct, values: pick((r) => r.serverCpuPct) },
      { label: 'server CPU per caret move (µs)', better: 'lower', format: fmt.num1, values: pick((r) => r.serverCpuPerMove) },
      { label: 'awareness latency p50 (ms)', better: 'lower', format: fmt.ms, values: pick((r) => r.p50) },
      { label: 'awareness latency p99 (ms)', better: 'lower', format: fmt.ms, values: pick((r) => r.p99) },
      { label: 'awareness latency max (ms)', better: 'lower', format: fmt.ms, values: pick((r) => r.max) },
      { label: 'delivered (% of expected)', better: '', format: fmt.num2, values: pick((r) => r.deliveredPct) },
      { label: 'frames received by clients', better: '', format: fmt.int, values: pick((r) => r.framesReceived) },
      { label: 'peak RSS (MiB)', better: 'lower', format: fmt.mib, values: pick((r) => r.peakRss) },
      { label: 'client CPU (% of a core)', better: '', format: fmt.pct, values: pick((r) => r.clientCpuPct) },
      { label: 'generator lag max (ms)', better: '', format: fmt.ms, values: pick((r) => r.genLagMax) },
      { label: 'other processes (% of a core)', better: '', format: fmt.pct, values: pick((r) => r.othersCpuPct) },
    ],
  })
  return results
}

async function idle(ctx) {
  const shape = idleShape(ctx.quick)
  const results = await ctx.eachServer('idle', (def) => idleRun(ctx, def, shape))
  const pick = picker(ctx, results)
  ctx.table({
    title: `Idle: ${fmt.int(shape.docs * shape.perDoc)} synced connections over ${fmt.int(shape.docs)} documents, then ${shape.idleSeconds} s of nothing`,
    note: withErrors(
      `Clients connect ${shape.concurrency * ctx.pool.size} at a time (${shape.concurrency} per load-generator process). Memory per connection: server RSS with everyone connected minus RSS before, ÷ connections.`,
      results,
    ),
    rows: [
      { label: 'connect all (s)', better: 'lower', format: fmt.num2, values: pick((r) => r.connectS) },
      { label: 'server CPU while connecting (s)', better: 'lower', format: fmt.num2, values: pick((r) => r.connectCpuS) },
      { label: 'memory per connection (KiB)', better: 'lower', format: fmt.num2, values: pick((r) => r.bytesPerConnection / 1024) },
      { label: 'RSS before → connected (MiB)', better: '', values: pick((r) => `${fmt.mib(r.rssBefore)} → ${fmt.mib(r.rssConnected)}`) },
      { label: 'idle CPU (% of a core)', better: 'lower', format: fmt.pct, values: pick((r) => r.idleCpuPct) },
      { label: 'connections dropped', better: '', format: fmt.int, values: pick((r) => r.dropped) },
      { label: 'other processes while idle (% core)', better: '', format: fmt.pct, values: pick((r) => r.othersCpuPct) },
    ],
  })
  return results
}

async function join(ctx) {
  const trace = ctx.trace()
  const shape = joinShape(ctx.quick)
  const results = await ctx.eachServer('join', (def) => (def.persistent ? joinRun(ctx, def, shape) : null))
  const pick = picker(ctx, results)
  ctx.table({
    title: `Join storm: the trace's document loaded (${fmt.int(trace.endContent.length)} characters), ${shape.joiners} clients join at once`,
    note: withErrors('Time to synced: from opening the socket to receiving the document (sync step 2). Complete: the received document, applied to a Y.Doc afterwards, has the full text. The relay keeps no document.', results),
    rows: [
      { label: 'time to synced p50 (ms)', better: 'lower', format: fmt.ms, values: pick((r) => r.p50) },
      { label: 'time to synced p99 (ms)', better: 'lower', format: fmt.ms, values: pick((r) => r.p99) },
      { label: 'time to synced max (ms)', better: 'lower', format: fmt.ms, values: pick((r) => r.max) },
      { label: 'joiners with the full text', better: '', values: pick((r) => `${r.complete}/${r.joiners}`) },
      { label: 'server CPU for the storm (ms)', better: 'lower', format: fmt.int, values: pick((r) => r.serverCpuMs) },
      { label: 'peak RSS (MiB)', better: 'lower', format: fmt.mib, values: pick((r) => r.peakRss) },
      { label: 'other processes (% of a core)', better: '', format: fmt.pct, values: pick((r) => r.othersCpuPct) },
    ],
  })
  return results
}

async function memory(ctx) {
  const shape = memoryShape(ctx.quick)
  const results = await ctx.eachServer('memory', (def) => memoryRun(ctx, def, shape))
  const pick = picker(ctx, results)
  ctx.table({
    title: `Memory over time: ${fmt.int(shape.openDocs)} documents opened and written, all clients gone; start-up with ${fmt.int(shape.storedDocs)} stored documents`,
    note: withErrors(
      `cowrite runs with UNLOAD_DELAY_MS=2000; RSS is read ${shape.afterUnloadS} s after that delay for every server. Then the store is filled to ${fmt.int(shape.storedDocs)} documents (one 400-character paragraph each): through cowrite's server, 200 clients at a time; straight into the competitors' stores with their own storage libraries ("direct"). Then the server is stopped (SIGTERM) and started again.`,
      results,
    ),
    rows: [
      { label: 'RSS at start (MiB)', better: 'lower', format: fmt.mib, values: pick((r) => r.rssStart) },
      { label: 'RSS with documents open (MiB)', better: 'lower', format: fmt.mib, values: pick((r) => r.rssOpen) },
      { label: 'RSS after everyone left (MiB)', better: 'lower', format: fmt.mib, values: pick((r) => r.rssAfter) },
      { label: 'after ÷ start', better: 'lower', format: (v) => `${fmt.num2(v)}×`, values: pick((r) => r.ratio) },
      { label: `writing ${fmt.int(shape.storedDocs - shape.openDocs)} more documents (s)`, better: '', format: fmt.num1, values: pick((r) => r.fill) },
      { label: 'store size (MiB)', better: 'lower', format: fmt.mib, values: pick((r) => r.storeBytes) },
      { label: 'start-up to answering HTTP (ms)', better: 'lower', format: fmt.ms, values: pick((r) => r.startupMs) },
      { label: 'start-up to first document synced (ms)', better: 'lower', format: fmt.ms, values: pick((r) => r.firstDocMs) },
    ],
  })
  return results
}

export const SCENARIO_RUNNERS = { fanout, stepup, ingest, presence, idle, join, coldload, memory }
