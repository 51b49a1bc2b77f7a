// What every scenario does around its measurement: a fresh server per run with its own
// data directory, stopped (by PID) whatever happens; clients dealt to the workers; and the
// server's CPU and memory over a phase.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { now } from './clock.mjs'
import { machineCpuMicros, rssSampler } from './proc.mjs'
import { newDocId, startServer } from './servers.mjs'
import { deal } from './workers.mjs'

let runs = 0

/** A fresh data directory for one server run inside the run's temp dir. */
export function dataDirFor(ctx, scenario, def) {
  const dir = join(ctx.tmpDir, `${scenario}-${def.name}-${++runs}`)
  mkdirSync(dir, { recursive: true })
  return dir
}

/** Starts `def`, runs `fn(server)`, and always stops the server and the clients it had. */
export async function withServer(ctx, scenario, def, options, fn) {
  const dataDir = options.dataDir ?? dataDirFor(ctx, scenario, def)
  const server = await startServer(def, dataDir, options)
  try {
    return await fn(server)
  } finally {
    await ctx.pool.all('close', () => ({ abrupt: true })).catch(() => {})
    await server.stop('SIGTERM')
  }
}

/**
 * Client specs for `docs` documents with `perDoc` clients each, and how they are dealt to the
 * workers: client g (clientID g + 1) of document floor(g / perDoc) goes to worker g mod W,
 * so every document's clients are spread over the workers.
 */
export function clientPlan(ctx, server, { docs, perDoc, docNames = Array.from({ length: docs }, () => newDocId()) }) {
  const specs = []
  for (let d = 0; d < docNames.length; d++) {
    for (let j = 0; j < perDoc; j++) {
      const g = specs.length
      specs.push({ key: `c${g}`, clientID: g + 1, doc: d, ...server.clientFor(docNames[d]) })
    }
  }
  return { docNames, specs, hands: deal(specs, ctx.pool.size) }
}

/** Connects every client of a plan; throws if any failed. Returns the connect results per worker. */
export async function connectAll(ctx, plan, options = {}) {
  const results = await ctx.pool.all('connect', (w) => ({ specs: plan.hands[w], concurrency: options.concurrency ?? 64, ...options }))
  const failures = results.reduce((sum, r) => sum + r.failures, 0)
  if (failures > 0 && !options.tolerateFailures) {
    throw new Error(`${failures} of ${plan.specs.length} clients failed to connect: ${results.find((r) => r.firstError)?.firstError}`)
  }
  return results
}

/**
 * Measures `fn` on `server`: server CPU (µs, all threads), peak RSS sampled every 100 ms,
 * wall time, the workers' CPU over the same span, and the CPU that everything else on the
 * machine used meanwhile (a busy machine makes latencies unreliable).
 */
export async function measure(ctx, server, fn) {
  await ctx.pool.all('collect') // resets the workers' CPU marks and receipts
  const sampler = rssSampler(server.pid)
  const cpu0 = server.cpu()
  const machine0 = machineCpuMicros()
  const self0 = process.cpuUsage()
  const startedAt = now()
  const result = await fn()
  const wallMs = now() - startedAt
  const serverCpuMicros = server.cpu() - cpu0
  const machineMicros = machineCpuMicros() - machine0
  const self = process.cpuUsage(self0)
  const peakRss = sampler.stop()
  const collected = await ctx.pool.all('collect')
  const clientCpuMicros = collected.reduce((sum, c) => sum + c.cpuMicros, 0)
  const othersCpuMicros = Math.max(0, machineMicros - serverCpuMicros - clientCpuMicros - self.user - self.system)
  return {
    result,
    wallMs,
    serverCpuMicros,
    peakRss,
    clientCpuMicros,
    othersCpuPct: (100 * othersCpuMicros) / (wallMs * 1000),
    collected,
  }
}

/**
 * The CPU (% of a core) that processes other than the runner, its workers and the given
 * servers use from now until stop(); stop may name servers started in between.
 */
export async function othersMeter(ctx, servers) {
  await ctx.pool.all('collect') // resets the workers' CPU marks
  const machine0 = machineCpuMicros()
  const self0 = process.cpuUsage()
  const startedAt = now()
  const server0 = new Map(servers.map((s) => [s, s.cpu()]))
  return {
    async stop(later = []) {
      const machineMicros = machineCpuMicros() - machine0
      const self = process.cpuUsage(self0)
      let ours = self.user + self.system
      for (const [s, c0] of server0) ours += s.exited ? 0 : s.cpu() - c0
      for (const s of later) if (!server0.has(s) && !s.exited) ours += s.cpu()
      const wallMs = now() - startedAt
      const collected = await ctx.pool.all('collect')
      ours += collected.reduce((sum, c) => sum + c.cpuMicros, 0)
      return (100 * Math.max(0, machineMicros - ours)) / (wallMs * 1000)
    },
  }
}

/** Golden-ratio phases in [0, 1): spreads senders evenly over each period without clumping. */
export const phaseOf = (g) => (g * 0.6180339887498949) % 1
