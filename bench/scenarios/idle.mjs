// Scenario 4, idle connections: N synced connections spread over D documents, then nothing.
// Time to connect them all, server memory per connection, and CPU while they sit idle.
import { now, sleep } from '../lib/clock.mjs'
import { clientPlan, connectAll, withServer } from '../lib/harness.mjs'
import { machineCpuMicros } from '../lib/proc.mjs'

export const idleShape = (quick) =>
  quick ? { docs: 100, perDoc: 10, idleSeconds: 3, concurrency: 50 } : { docs: 1_000, perDoc: 10, idleSeconds: 10, concurrency: 100 }

export async function idleRun(ctx, def, { docs, perDoc, idleSeconds, concurrency }) {
  return withServer(ctx, 'idle', def, {}, async (server) => {
    await sleep(1_000) // let start-up garbage settle before the baseline
    const rssBefore = server.memory().rss
    const plan = clientPlan(ctx, server, { docs, perDoc })
    const connectStartedAt = now()
    const cpu0 = server.cpu()
    await connectAll(ctx, plan, { concurrency, timeoutMs: 60_000 })
    const connectS = (now() - connectStartedAt) / 1000
    const connectCpuS = (server.cpu() - cpu0) / 1e6
    await sleep(2_000)
    const rssConnected = server.memory().rss
    await ctx.pool.all('collect')
    const idleCpu0 = server.cpu()
    const machine0 = machineCpuMicros()
    const idleStartedAt = now()
    await sleep(idleSeconds * 1000)
    const idleMicros = (now() - idleStartedAt) * 1000
    const serverMicros = server.cpu() - idleCpu0
    const collected = await ctx.pool.all('collect')
    const clientMicros = collected.reduce((sum, c) => sum + c.cpuMicros, 0)
    const idleCpuPct = (100 * serverMicros) / idleMicros
    const othersCpuPct = (100 * Math.max(0, machineCpuMicros() - machine0 - serverMicros - clientMicros)) / idleMicros
    const n = docs * perDoc
    return {
      connections: n,
      connectS,
      connectCpuS,
      rssBefore,
      rssConnected,
      bytesPerConnection: (rssConnected - rssBefore) / n,
      idleCpuPct,
      othersCpuPct,
      dropped: collected.reduce((sum, c) => sum + c.closed, 0),
    }
  })
}
