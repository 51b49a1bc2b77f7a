// Scenario 5, join storm: the trace's final document is loaded on the server (a seeding
// client sent it and stays connected), then many clients join at the same instant. Each
// joiner's time from opening its socket to receiving the document; afterwards, off the
// clock, every received document is applied to a Y.Doc to check its length.
import { now } from '../lib/clock.mjs'
import { clientPlan, connectAll, measure, withServer } from '../lib/harness.mjs'
import { newDocId } from '../lib/servers.mjs'
import { summarize } from '../lib/stats.mjs'

export const joinShape = (quick) => ({ joiners: quick ? 30 : 100 })

export async function joinRun(ctx, def, { joiners }) {
  const trace = ctx.trace()
  return withServer(ctx, 'join', def, {}, async (server) => {
    const docName = newDocId()
    await ctx.pool.call(0, 'connect', { specs: [{ key: 'seeder', clientID: 800_001, ...server.clientFor(docName) }] })
    const seeded = await ctx.pool.call(0, 'seed', { key: 'seeder', update: trace.state })
    if (!seeded.ok) throw new Error('the server did not confirm the seeded document')

    const plan = clientPlan(ctx, server, { docs: 1, perDoc: joiners, docNames: [docName] })
    const startAt = now() + 500
    const m = await measure(ctx, server, () =>
      connectAll(ctx, plan, { startAt, concurrency: joiners, keepStep2: true, timeoutMs: 60_000, tolerateFailures: true }),
    )
    const syncMs = m.result.flatMap((r) => Array.from(r.syncMs))
    const summary = summarize(syncMs.filter(Number.isFinite))
    const lengths = (await ctx.pool.all('verifyStep2', (w) => ({ keys: plan.hands[w].map((s) => s.key) }))).flat()
    return {
      othersCpuPct: m.othersCpuPct,
      p50: summary.p50,
      p99: summary.p99,
      max: summary.max,
      failed: syncMs.filter((v) => !Number.isFinite(v)).length,
      complete: lengths.filter((l) => l === trace.endContent.length).length,
      joiners,
      serverCpuMs: m.serverCpuMicros / 1000,
      peakRss: m.peakRss,
    }
  })
}
