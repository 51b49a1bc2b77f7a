// Scenario 3, presence: many clients on one document moving their caret several times a
// second (awareness updates); latency from a move to its receipt at every other client.
import { now, sleep } from '../lib/clock.mjs'
import { clientPlan, connectAll, measure, phaseOf, withServer } from '../lib/harness.mjs'
import { joinLatencies, summarize } from '../lib/stats.mjs'

const DRAIN_MS = 2_000

export const presenceShape = (quick) => (quick ? { clients: 60, rate: 5, seconds: 3 } : { clients: 200, rate: 5, seconds: 6 })

export async function presenceRun(ctx, def, { clients, rate, seconds }) {
  return withServer(ctx, 'presence', def, {}, async (server) => {
    const plan = clientPlan(ctx, server, { docs: 1, perDoc: clients })
    await connectAll(ctx, plan)
    const count = Math.round(rate * seconds)
    await ctx.pool.all('prepareCarets', (w) => ({
      senders: plan.hands[w].map((spec) => ({ key: spec.key, phase: phaseOf(spec.clientID) })),
      count,
    }))
    const startAt = now() + 300
    const m = await measure(ctx, server, async () => {
      const runs = await ctx.pool.all('run', () => ({ rate, startAt }))
      await sleep(DRAIN_MS)
      return runs
    })
    const sends = m.result.flatMap((r) => r.sends)
    const latencies = joinLatencies(sends, m.collected.map((c) => c.carets))
    const expected = clients * count * (clients - 1)
    const summary = summarize(latencies)
    const moves = clients * count
    return {
      othersCpuPct: m.othersCpuPct,
      p50: summary.p50,
      p99: summary.p99,
      max: summary.max,
      deliveredPct: (100 * latencies.length) / expected,
      deliveriesPerS: latencies.length / (count / rate),
      serverCpuPct: (100 * m.serverCpuMicros) / (m.wallMs * 1000),
      serverCpuPerMove: m.serverCpuMicros / moves,
      framesReceived: m.collected.reduce((sum, c) => sum + c.frames, 0),
      clientCpuPct: (100 * m.clientCpuMicros) / (m.wallMs * 1000),
      peakRss: m.peakRss,
      genLagMax: Math.max(...m.result.map((r) => r.lag.max)),
    }
  })
}
