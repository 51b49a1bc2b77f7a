// Scenario 7, memory over time and start-up:
// 1. many documents opened and written, then every client leaves; RSS after the unload
//    delay against RSS at start;
// 2. more documents written until the store holds many, then a restart: time until the
//    server answers HTTP, and until a client has one of the documents. cowrite's documents
//    are written through the server; the competitors' straight into their stores with their
//    own storage libraries (their servers would take minutes: Hocuspocus syncs SQLite per document).
import { now, sleep } from '../lib/clock.mjs'
import { clientPlan, connectAll, dataDirFor } from '../lib/harness.mjs'
import { diskUsage, rssSampler } from '../lib/proc.mjs'
import { newDocId, startServer } from '../lib/servers.mjs'
import { paragraphUpdate } from '../lib/paragraph.mjs'
import { deal } from '../lib/workers.mjs'

const UNLOAD_DELAY_MS = 2_000
const PARAGRAPH_CHARS = 400

export const memoryShape = (quick) =>
  quick ? { openDocs: 200, storedDocs: 1_000, afterUnloadS: 4 } : { openDocs: 1_000, storedDocs: 10_000, afterUnloadS: 8 }

export async function memoryRun(ctx, def, { openDocs, storedDocs, afterUnloadS }) {
  const dataDir = dataDirFor(ctx, 'memory', def)
  const options = { unloadDelayMs: UNLOAD_DELAY_MS }
  let server = await startServer(def, dataDir, options)
  const out = {}
  try {
    await sleep(1_000)
    out.rssStart = server.memory().rss
    const sampler = rssSampler(server.pid)
    const plan = clientPlan(ctx, server, { docs: openDocs, perDoc: 1 })
    await connectAll(ctx, plan)
    await ctx.pool.all('writeParagraphs', (w) => ({ keys: plan.hands[w].map((s) => s.key), chars: PARAGRAPH_CHARS }))
    out.rssOpen = server.memory().rss
    await ctx.pool.all('close')
    const closedAt = now()
    // The unload delay, then the same wait for every server.
    await sleep(UNLOAD_DELAY_MS + afterUnloadS * 1000)
    out.rssAfter = server.memory().rss
    out.peakRss = sampler.stop()
    out.afterS = (now() - closedAt) / 1000
    out.ratio = out.rssAfter / out.rssStart

    if (!def.persistent) return out
    // Fill the store up to `storedDocs` documents (one paragraph each), then restart.
    const more = Array.from({ length: storedDocs - openDocs }, (_, i) => ({ key: `stored-${i}`, clientID: 700_000 + i, docName: newDocId() }))
    const t0 = now()
    if (def.fillStore) {
      await server.stop('SIGTERM', 60_000)
      await def.fillStore(dataDir, more.map(({ docName, clientID }) => ({ docName, update: paragraphUpdate(clientID, PARAGRAPH_CHARS) })))
      out.fill = 'direct'
    } else {
      const specs = more.map((doc) => ({ ...doc, ...server.clientFor(doc.docName) }))
      const written = await ctx.pool.all('writeDocs', (w) => ({ specs: deal(specs, ctx.pool.size)[w], chars: PARAGRAPH_CHARS, concurrency: 100 }))
      const failures = written.reduce((sum, r) => sum + r.failures, 0)
      if (failures > 0) throw new Error(`${failures} documents could not be written: ${written.find((r) => r.firstError)?.firstError}`)
      out.fill = (now() - t0) / 1000
      await server.stop('SIGTERM', 60_000)
    }
    out.storeBytes = diskUsage(dataDir)
    server = await startServer(def, dataDir, options)
    out.startupMs = server.startupMs
    const probe = plan.specs[0]
    const t1 = now()
    await ctx.pool.call(0, 'connect', { specs: [{ ...probe, ...server.clientFor(probe.docName), key: 'probe' }] })
    out.firstDocMs = out.startupMs + (now() - t1)
    return out
  } finally {
    await ctx.pool.all('close', () => ({ abrupt: true })).catch(() => {})
    await server.stop('SIGTERM')
  }
}
