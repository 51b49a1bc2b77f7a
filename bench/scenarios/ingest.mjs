// Scenarios 2 and 6, ingest and cold load, on one server run each:
// 1. one client replays the trace as single-edit updates as fast as the server takes them,
//    while a second client counts what the server relays (the end of ingest); a server
//    that has not taken the whole trace within the cap gets the rest as one update;
// 2. the data directory is watched until the store stops changing (its writes settled);
// 3. the server is killed with SIGKILL and restarted on the same data, and a fresh real
//    client measures connect-to-full-text and checks the text equals the trace's; three times,
//    each from a copy of the store as the crash left it (one cold load swings several-fold with
//    the state of the load generator's process), and the load with the median time is reported.
import { cpSync, rmSync } from 'node:fs'
import { now, sleep } from '../lib/clock.mjs'
import { dataDirFor, othersMeter } from '../lib/harness.mjs'
import { diskUsage, rssSampler } from '../lib/proc.mjs'
import { newDocId, startServer } from '../lib/servers.mjs'
import { tracePrefix } from '../lib/trace.mjs'

const QUIET_MS = 3_000
/** Ingest stops sending after this long; a slower server is measured on the prefix it took. */
const INGEST_CAP_MS = 45_000
const INGEST_CAP_QUICK_MS = 15_000
/** The longest wait for a store's writes to settle after the last update. */
const SETTLE_CAP_MS = 90_000
/** Cold loads per server, each after a SIGKILL and a restart. */
const COLD_LOADS = 3

/** Total size and latest modification of the files under `dir`: changes whenever the store writes. */
function storeSignature(dir) {
  const { bytes, latestMtimeMs } = diskUsage(dir, { withMtime: true })
  return `${bytes}@${latestMtimeMs}`
}

/**
 * Polls the store under `dir` every 50 ms; resolves with the time of the last change once it
 * has been quiet for QUIET_MS, or at `deadline` (then `settled` is false).
 */
async function waitForStoreToSettle(dir, deadline) {
  let signature = storeSignature(dir)
  let changedAt = now()
  while (now() < deadline) {
    await sleep(50)
    const next = storeSignature(dir)
    if (next !== signature) {
      signature = next
      changedAt = now()
    } else if (now() - changedAt >= QUIET_MS) {
      return { lastChangeAt: changedAt, settled: true }
    }
  }
  return { lastChangeAt: changedAt, settled: false }
}

/** Runs ingest → settle → SIGKILL → restart → cold load for `def`; cached per server for both tables. */
export function ingestAndReload(ctx, def) {
  const key = `ingest:${def.name}`
  if (!ctx.shared.has(key)) ctx.shared.set(key, runIngest(ctx, def))
  return ctx.shared.get(key)
}

async function runIngest(ctx, def) {
  const trace = ctx.trace()
  const limit = ctx.quick ? 40_000 : trace.edits
  const target = tracePrefix(trace, limit)
  const dataDir = dataDirFor(ctx, 'ingest', def)
  const out = { limit }
  let server = await startServer(def, dataDir)
  try {
    const docName = newDocId()
    const spec = server.clientFor(docName)
    await ctx.pool.call(0, 'connect', {
      specs: [
        { key: 'ingest-sender', clientID: 900_001, ...spec },
        { key: 'ingest-observer', clientID: 900_002, ...spec },
      ],
    })

    const sampler = rssSampler(server.pid)
    const cpu0 = server.cpu()
    const others = await othersMeter(ctx, [server])
    const run = await ctx.pool.call(0, 'ingest', {
      senderKey: 'ingest-sender',
      observerKey: 'ingest-observer',
      file: trace.updatesFile,
      limit,
      capMs: ctx.quick ? INGEST_CAP_QUICK_MS : INGEST_CAP_MS,
      drainMs: 30_000,
    })
    out.serverCpuS = (server.cpu() - cpu0) / 1e6
    out.peakRss = sampler.stop()
    out.othersCpuPct = await others.stop()
    out.sent = run.sent
    out.capped = run.sent < limit
    out.relayedAll = run.complete
    const endAt = run.complete ? run.lastAt : now()
    out.ingestS = (endAt - run.startedAt) / 1000
    out.updatesPerS = run.relayed / out.ingestS
    out.relayLagS = run.complete ? (run.lastAt - run.lastSentAt) / 1000 : Number.NaN
    let lastWriteAt = run.lastSentAt

    if (!def.persistent) return out
    if (out.capped || !run.complete) {
      // The rest of the trace as one update, so every store holds the whole document
      // for the durability and cold-load checks.
      const topUp = await ctx.pool.call(0, 'seed', { key: 'ingest-sender', update: target.state })
      if (!topUp.ok) throw new Error('the server did not confirm the rest of the trace')
      lastWriteAt = now()
    }
    await ctx.pool.all('close')

    const settle = await waitForStoreToSettle(dataDir, lastWriteAt + (ctx.quick ? 30_000 : SETTLE_CAP_MS))
    out.settleS = settle.settled ? Math.max(0, (settle.lastChangeAt - lastWriteAt) / 1000) : Number.NaN
    out.settled = settle.settled
    out.storeBytesAfterIngest = diskUsage(dataDir)

    // A crash once the writes have settled must lose nothing. Each cold load starts from a copy
    // of the store as the crash left it (a load may rewrite it: the classic server merges the
    // stored updates on its first load).
    await server.stop('SIGKILL')
    const asCrashed = `${dataDir}.as-crashed`
    cpSync(dataDir, asCrashed, { recursive: true })
    /** The server started on `dir` holding a fresh copy of that store, and one stock client's load from it. */
    const loadFromCopy = async (dir) => {
      rmSync(dir, { recursive: true, force: true })
      cpSync(asCrashed, dir, { recursive: true })
      const started = await startServer(def, dir)
      try {
        const others = await othersMeter(ctx, [])
        const load = await ctx.pool.call(0, 'loadDocument', {
          spec: started.clientFor(docName),
          expectLength: target.text.length,
          timeoutMs: ctx.quick ? 30_000 : 60_000,
          state: target.state,
        })
        return { started, load: { ...load, othersCpuPct: await others.stop([started]) } }
      } catch (error) {
        await started.stop('SIGKILL')
        throw error
      }
    }
    // One unmeasured load first, from a throwaway copy of that store, done as the measured ones are
    // (with the applications of the state before and after it): the load generator's stock client
    // (provider, socket, Yjs's encoding of the update it applies) and its heap are then in the same
    // state before every measured load, the first included, whichever server goes first.
    const warmDir = `${dataDir}.warm-up`
    try {
      const warm = await loadFromCopy(warmDir)
      await warm.started.stop('SIGKILL')
    } finally {
      rmSync(warmDir, { recursive: true, force: true })
    }
    const loads = []
    for (let i = 0; i < (ctx.quick ? 1 : COLD_LOADS); i++) {
      if (i > 0) await server.stop('SIGKILL')
      const { started, load } = await loadFromCopy(dataDir)
      server = started
      if (i === 0) out.restartMs = server.startupMs
      loads.push(load)
    }
    rmSync(asCrashed, { recursive: true, force: true })
    const byFull = [...loads].sort((a, b) => (a.fullMs ?? Number.POSITIVE_INFINITY) - (b.fullMs ?? Number.POSITIVE_INFINITY))
    const loaded = byFull[Math.floor(byFull.length / 2)]
    out.coldFullEach = loads.map((l) => l.fullMs)
    out.coldOthersCpuPct = loaded.othersCpuPct
    // Yjs applying the same state in the client's process, measured right after that cold load.
    out.yjsApplyMs = loaded.yjsApplyMs
    out.coldSyncedMs = loaded.syncedMs
    out.coldLengthAtSynced = loaded.lengthAtSynced
    out.coldFullMs = loaded.fullMs
    out.coldOpenMs = loaded.openMs
    out.coldFirstMessageMs = loaded.firstMessageMs
    out.recoveredChars = Math.min(...loads.map((l) => l.length))
    out.expectedChars = target.text.length
    out.recoveredExact = loads.every((l) => l.text === target.text)
    await server.stop('SIGTERM')
    out.storeBytesAfterReload = diskUsage(dataDir)
    return out
  } finally {
    await ctx.pool.all('close', () => ({ abrupt: true })).catch(() => {})
    await server.stop('SIGKILL')
  }
}
