// Runs the selected scenarios against the selected servers, one server at a time on the
// same load, and prints one table per scenario (also saved under bench/results/).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { now, sleep } from './clock.mjs'
import { parseOptions } from './options.mjs'
import { machineCpuMicros } from './proc.mjs'
import { SERVERS, killStartedServers } from './servers.mjs'
import { renderTable } from './stats.mjs'
import { prepareTrace } from './trace.mjs'
import { WorkerPool } from './workers.mjs'
import { SCENARIO_RUNNERS } from '../scenarios/index.mjs'

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url))

export async function main(args) {
  let options
  try {
    options = parseOptions(args)
  } catch (error) {
    console.error(error.message)
    return 2
  }
  const startedAt = now()
  const tmpDir = mkdtempSync(join(tmpdir(), 'cowrite-bench-'))
  const pool = new WorkerPool(options.workers)
  const stamp = new Date().toISOString()
  const output = []
  const print = (text) => {
    console.log(text)
    output.push(text)
  }
  const onSignal = () => {
    killStartedServers()
    process.exit(130)
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  let trace = null
  const ctx = {
    pool,
    quick: options.quick,
    tmpDir,
    defs: SERVERS.filter((def) => options.servers.includes(def.name)),
    servers: options.servers,
    shared: new Map(),
    trace() {
      trace ??= prepareTrace()
      return trace
    },
    table(spec) {
      print(renderTable({ servers: options.servers, ...spec }))
    },
    print,
    /** Runs `fn(def)` for every selected server in turn; a failure is reported and recorded, not fatal. */
    async eachServer(label, fn) {
      const results = {}
      for (const def of ctx.defs) {
        const t0 = now()
        try {
          results[def.name] = await fn(def)
        } catch (error) {
          results[def.name] = error instanceof Error ? error : new Error(String(error))
          console.error(`  ${label} on ${def.name} failed: ${results[def.name].message.split('\n')[0]}`)
        }
        console.error(`  ${label}: ${def.name} done in ${((now() - t0) / 1000).toFixed(1)} s`)
      }
      return results
    },
  }

  const cpu = cpus()
  print(`## cowrite benchmark — ${stamp}${options.quick ? ' (quick)' : ''}`)
  print('')
  print(
    `Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, load average ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')} at start; ${options.workers} load-generator processes; servers: ${options.servers.join(', ')}.`,
  )
  print('')
  print(
    options.quick
      ? 'Quick run: smaller shapes and 2–3 s phases, for a sanity check only; do not compare these figures with a full run.'
      : 'Shapes are scaled to this 2-core machine, where the servers and the load generator share the cores: fan-out phases of 8 s, step-up steps of 3 s, ingest capped at 45 s per server, presence 6 s, idle CPU over 10 s. Each figure comes from one run.',
  )
  print('')
  const busyPct = await machineBusyPct(1_000)
  if (busyPct > 25) {
    print(
      `**Warning: the machine was busy when the run started (${busyPct.toFixed(0)}% of a core used by other processes): they compete for the ${cpu.length} cores, and latencies especially are unreliable. See the "other processes" rows.**`,
    )
    print('')
  }

  const data = {}
  let exitCode = 0
  try {
    for (const name of options.scenarios) {
      const t0 = now()
      console.error(`bench: ${name}…`)
      try {
        data[name] = await SCENARIO_RUNNERS[name](ctx)
      } catch (error) {
        exitCode = 1
        print(`### ${name}: failed\n\n${error?.stack ?? error}\n`)
      }
      console.error(`bench: ${name} took ${((now() - t0) / 1000).toFixed(0)} s`)
    }
  } finally {
    await pool.close()
    killStartedServers()
    rmSync(tmpDir, { recursive: true, force: true })
  }
  print(`Total time: ${((now() - startedAt) / 60000).toFixed(1)} min; load average at the end ${loadavg().map((v) => v.toFixed(2)).join(' ')}.`)

  mkdirSync(RESULTS_DIR, { recursive: true })
  const base = join(RESULTS_DIR, stamp.replace(/[:.]/g, '-'))
  writeFileSync(`${base}.md`, output.join('\n') + '\n')
  writeFileSync(`${base}.json`, JSON.stringify({ stamp, options, data }, jsonReplacer, 2))
  if (options.out) writeFileSync(options.out, output.join('\n') + '\n')
  console.error(`bench: tables saved to ${base}.md`)
  return exitCode
}

/** CPU (% of one core) that the machine's processes use over the next `ms`, this one included (it idles). */
async function machineBusyPct(ms) {
  const before = machineCpuMicros()
  await sleep(ms)
  return (100 * (machineCpuMicros() - before)) / (ms * 1000)
}

function jsonReplacer(_key, value) {
  if (value instanceof Error) return { error: value.message }
  if (ArrayBuffer.isView(value)) return undefined
  return value
}
