// Scenario 1, fan-out: D documents × C clients, every client typing at R characters a
// second; each edit's latency from send to receipt at every other client of its document.
import { now, sleep } from '../lib/clock.mjs'
import { clientPlan, connectAll, measure, phaseOf, withServer } from '../lib/harness.mjs'
import { fmt, joinLatencies, summarize } from '../lib/stats.mjs'

const P99_LIMIT_MS = 100
const DRAIN_MS = 2_000

export function fanoutShapes(quick) {
  return quick
    ? [
        { docs: 20, perDoc: 10, rate: 2, seconds: 3 },
        { docs: 4, perDoc: 50, rate: 0.4, seconds: 3 },
        { docs: 1, perDoc: 100, rate: 0.5, seconds: 3 },
      ]
    : [
        // Rates chosen so that each shape delivers about 18–20k edits a second to non-merging
        // servers: what two cores can generate, relay and receive together.
        { docs: 100, perDoc: 10, rate: 2, seconds: 8 },
        { docs: 20, perDoc: 50, rate: 0.4, seconds: 8 },
        { docs: 1, perDoc: 200, rate: 0.5, seconds: 8 },
      ]
}

/** One timed typing phase on already connected clients; returns the figures of one table column. */
async function typingPhase(ctx, server, plan, { rate, seconds, perDoc, drainMs = DRAIN_MS }) {
  const count = Math.max(1, Math.round(rate * seconds))
  await ctx.pool.all('prepareEdits', (w) => ({
    senders: plan.hands[w].map((spec) => ({ key: spec.key, phase: phaseOf(spec.clientID) })),
    count,
  }))
  const startAt = now() + 300
  const m = await measure(ctx, server, async () => {
    const runs = await ctx.pool.all('run', () => ({ rate, startAt }))
    await sleep(drainMs)
    return runs
  })
  const sends = m.result.flatMap((r) => r.sends)
  const latencies = joinLatencies(sends, m.collected.map((c) => c.edits))
  const expected = sends.reduce((sum, s) => sum + s.times.length, 0) * (perDoc - 1)
  const summary = summarize(latencies)
  const spanS = count / rate // the sending span: deliveries are spread over it
  return {
    count,
    othersCpuPct: m.othersCpuPct,
    p50: summary.p50,
    p99: summary.p99,
    max: summary.max,
    delivered: latencies.length,
    deliveredPct: (100 * latencies.length) / expected,
    deliveriesPerS: latencies.length / spanS,
    serverCpuPerDelivery: m.serverCpuMicros / latencies.length,
    serverCpuPct: (100 * m.serverCpuMicros) / (m.wallMs * 1000),
    clientCpuPct: (100 * m.clientCpuMicros) / (m.wallMs * 1000),
    framesReceived: m.collected.reduce((sum, c) => sum + c.frames, 0),
    peakRss: m.peakRss,
    genLagMax: Math.max(...m.result.map((r) => r.lag.max)),
    closed: m.collected.reduce((sum, c) => sum + c.closed, 0),
  }
}

/** An unmeasured second of typing first, so that no server is measured with a cold JIT. */
const warmUp = (ctx, server, plan, { rate, perDoc }) => typingPhase(ctx, server, plan, { rate, perDoc, seconds: 1, drainMs: 500 })

export async function fanoutShape(ctx, def, shape) {
  return withServer(ctx, 'fanout', def, {}, async (server) => {
    const plan = clientPlan(ctx, server, shape)
    await connectAll(ctx, plan)
    const warm = await warmUp(ctx, server, plan, shape)
    const result = await typingPhase(ctx, server, plan, shape)
    if (def.persistent) {
      // Correctness: a fresh stock client opens the first document and must see every character typed into it.
      const expectLength = shape.perDoc * (warm.count + result.count)
      const loaded = await ctx.pool.call(0, 'loadDocument', { spec: server.clientFor(plan.docNames[0]), expectLength, timeoutMs: 10_000 })
      result.freshClient = loaded.length === expectLength ? 'all' : `${loaded.length}/${expectLength}`
    }
    return result
  })
}

/**
 * Steps the per-client rate up on one shape until p99 exceeds 100 ms (or edits go missing),
 * on one server run; returns every step and the highest load held.
 */
export async function fanoutStepUp(ctx, def, { docs, perDoc, rates, seconds, drainMs }) {
  return withServer(ctx, 'stepup', def, {}, async (server) => {
    const plan = clientPlan(ctx, server, { docs, perDoc })
    await connectAll(ctx, plan)
    await warmUp(ctx, server, plan, { rate: rates[0], perDoc })
    const steps = []
    let held = null
    let stoppedBy = 'not reached'
    for (const rate of rates) {
      const step = { rate, ...(await typingPhase(ctx, server, plan, { rate, seconds, perDoc, drainMs })) }
      steps.push(step)
      if (step.closed > 0) stoppedBy = `${step.closed} clients dropped`
      else if (step.deliveredPct < 99.9) stoppedBy = `${(100 - step.deliveredPct).toFixed(1)}% edits late or lost`
      else if (step.p99 > P99_LIMIT_MS) stoppedBy = `p99 ${Math.round(step.p99)} ms`
      else {
        held = step
        continue
      }
      break
    }
    return { steps, held, stoppedBy }
  })
}

export function fanoutRows(results, servers) {
  const pick = (f) => Object.fromEntries(servers.map((s) => [s, results[s] instanceof Error ? 'error' : f(results[s])]))
  return [
    { label: 'latency p50 (ms)', better: 'lower', format: fmt.ms, values: pick((r) => r.p50) },
    { label: 'latency p99 (ms)', better: 'lower', format: fmt.ms, values: pick((r) => r.p99) },
    { label: 'latency max (ms)', better: 'lower', format: fmt.ms, values: pick((r) => r.max) },
    { label: 'delivered (% of expected)', better: '', format: (v) => fmt.num2(v), values: pick((r) => r.deliveredPct) },
    { label: 'fresh stock client sees (doc 1)', better: '', values: pick((r) => r.freshClient ?? 'n/a') },
    { label: 'deliveries/s', better: 'higher', format: fmt.int, values: pick((r) => r.deliveriesPerS) },
    { label: 'server CPU per delivery (µs)', better: 'lower', format: fmt.num2, values: pick((r) => r.serverCpuPerDelivery) },
    { label: 'server CPU (% of a core)', better: 'lower', format: fmt.pct, values: pick((r) => r.serverCpuPct) },
    { label: 'peak RSS (MiB)', better: 'lower', format: fmt.mib, values: pick((r) => r.peakRss) },
    { label: 'frames received by clients', better: '', format: fmt.int, values: pick((r) => r.framesReceived) },
    { label: 'client CPU (% of a core)', better: '', format: fmt.pct, values: pick((r) => r.clientCpuPct) },
    { label: 'generator lag max (ms)', better: '', format: fmt.ms, values: pick((r) => r.genLagMax) },
    { label: 'other processes (% of a core)', better: '', format: fmt.pct, values: pick((r) => r.othersCpuPct) },
  ]
}
