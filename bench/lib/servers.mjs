// The four servers under test: how to start each one, when it is ready, what a client needs
// to reach a document, and how to stop it (always by the PID we started).
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { appendFileSync, mkdirSync } from 'node:fs'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tsImport } from 'tsx/esm/api'
import { now, pollUntil } from './clock.mjs'
import { cpuMicros, memory } from './proc.mjs'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BENCH = join(ROOT, 'bench')

const { signToken } = await tsImport('../../lib/tokens.ts', import.meta.url)
const { newDocId } = await tsImport('../../lib/doc-id.ts', import.meta.url)

/** A document name every server accepts: cowrite requires its own id format. */
export { newDocId }

const SECRET = randomBytes(32).toString('base64url')

/** Every server process this run started and that has not exited yet, to end them on the way out. */
const live = new Set()

/** Ends (SIGKILL, by PID) every server this run started that is still running. */
export function killStartedServers() {
  for (const child of live) child.kill('SIGKILL')
}

/**
 * name: short key used on the command line and in tables.
 * dialect: the wire protocol its clients speak (bench/lib/protocol.mjs).
 * persistent: whether it stores documents (scenarios about disk skip the relay).
 * fillStore: for competitors, writes many documents straight into a stopped server's store
 *   with the server's own storage library (the fast way to a store of 10,000 documents);
 *   cowrite's store is filled through its server, whose write path is under test.
 */
export const SERVERS = [
  {
    name: 'cowrite',
    label: 'cowrite',
    dialect: 'y-websocket',
    persistent: true,
    command: (dataDir, port, env) => ({
      args: [join(ROOT, 'dist/sync-server.js')],
      env: {
        HOST: '127.0.0.1',
        SYNC_PORT: String(port),
        DATA_DIR: dataDir,
        SECRET,
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
        UNLOAD_DELAY_MS: String(env.unloadDelayMs ?? 30_000),
        // The per-address caps protect a real deployment; here every client is on 127.0.0.1.
        MAX_CONNECTIONS_PER_ADDRESS: '1000000',
        MAX_MESSAGES_PER_SECOND: '100000000',
      },
    }),
    readyPath: '/healthz',
    client: (port, docName) => {
      const token = signToken(SECRET, { docId: docName, role: 'edit', generation: 0 })
      return { url: `ws://127.0.0.1:${port}/${docName}?token=${encodeURIComponent(token)}`, base: `ws://127.0.0.1:${port}`, params: { token } }
    },
  },
  {
    name: 'classic',
    label: 'y-websocket 1.5.4 + y-leveldb',
    dialect: 'y-websocket',
    persistent: true,
    command: (dataDir, port) => ({
      args: [join(BENCH, 'node_modules/y-websocket-v1/bin/server.js')],
      env: { HOST: '127.0.0.1', PORT: String(port), YPERSISTENCE: join(dataDir, 'leveldb') },
    }),
    readyPath: '/',
    client: (port, docName) => ({ url: `ws://127.0.0.1:${port}/${docName}`, base: `ws://127.0.0.1:${port}`, params: {} }),
    /** Stores documents with y-leveldb itself (what the server's persistence calls), server stopped. */
    async fillStore(dataDir, docs) {
      const { LeveldbPersistence } = await import('y-leveldb')
      const ldb = new LeveldbPersistence(join(dataDir, 'leveldb'))
      for (const { docName, update } of docs) await ldb.storeUpdate(docName, update)
      await ldb.destroy()
    },
  },
  {
    name: 'hocuspocus',
    label: 'Hocuspocus 4 + SQLite',
    dialect: 'hocuspocus',
    persistent: true,
    command: (dataDir, port) => ({
      args: [join(BENCH, 'servers/hocuspocus.mjs')],
      env: { HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir },
    }),
    readyPath: '/',
    client: (port) => ({ url: `ws://127.0.0.1:${port}`, base: `ws://127.0.0.1:${port}`, token: 'bench' }),
    /** Stores documents with the SQLite extension's own schema and upsert, server stopped. */
    async fillStore(dataDir, docs) {
      const { default: Database } = await import('better-sqlite3')
      const { schema, upsertQuery } = await import('@hocuspocus/extension-sqlite')
      const db = new Database(join(dataDir, 'hocuspocus.sqlite'))
      db.exec(schema)
      const upsert = db.prepare(upsertQuery)
      db.transaction(() => {
        for (const { docName, update } of docs) upsert.run({ name: docName, data: update })
      })()
      db.close()
    },
  },
  {
    name: 'relay',
    label: 'bare ws relay (floor)',
    dialect: 'y-websocket',
    persistent: false,
    command: (_dataDir, port) => ({
      args: [join(BENCH, 'servers/relay.mjs')],
      env: { HOST: '127.0.0.1', PORT: String(port) },
    }),
    readyPath: '/',
    client: (port, docName) => ({ url: `ws://127.0.0.1:${port}/${docName}`, base: `ws://127.0.0.1:${port}`, params: {} }),
  },
]

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

function httpStatus(port, path) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 1_000 }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(0))
    req.end()
  })
}

/**
 * Starts `def` on a fresh port with its data in `dataDir` (kept across restarts, so a
 * restarted server finds what it stored), and resolves once it answers HTTP.
 * Returns a handle: pid, port, clientFor(docName), cpu(), memory(), stop(signal), startupMs.
 */
export async function startServer(def, dataDir, options = {}) {
  mkdirSync(dataDir, { recursive: true })
  const port = options.port ?? (await freePort())
  const { args, env } = def.command(dataDir, port, options)
  const startedAt = now()
  // Diagnostics: BENCH_SERVER_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the servers,
  // BENCH_SERVER_LOG=<file> keeps their output, BENCH_LOG_LEVEL=debug makes cowrite's verbose.
  const nodeArgs = process.env.BENCH_SERVER_ARGS ? process.env.BENCH_SERVER_ARGS.split(' ') : []
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output = []
  const keep = (chunk) => {
    output.push(...String(chunk).split('\n').filter(Boolean))
    if (process.env.BENCH_SERVER_LOG) appendFileSync(process.env.BENCH_SERVER_LOG, chunk)
    if (output.length > 40) output.splice(0, output.length - 40)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  live.add(child)
  let exited = null
  const exit = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      live.delete(child)
      resolve((exited = { code, signal }))
    }),
  )

  const ready = await pollUntil(async () => exited !== null || (await httpStatus(port, def.readyPath)) === 200, {
    timeoutMs: options.readyTimeoutMs ?? 60_000,
    intervalMs: 5,
  })
  if (!ready || exited) {
    if (!exited) child.kill('SIGKILL')
    throw new Error(`${def.name} did not start: ${exited ? `exited ${JSON.stringify(exited)}` : 'not ready in time'}\n${output.join('\n')}`)
  }
  const startupMs = now() - startedAt
  const pid = child.pid

  return {
    def,
    pid,
    port,
    dataDir,
    startupMs,
    output,
    clientFor: (docName) => ({ dialect: def.dialect, docName, ...def.client(port, docName) }),
    cpu: () => cpuMicros(pid),
    memory: () => memory(pid),
    get exited() {
      return exited
    },
    /** Sends `signal` to our child and waits (bounded) for it to exit; SIGKILL if it does not. */
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (exited) return exited
      child.kill(signal)
      let timer
      const result = await Promise.race([exit, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs, null)))])
      clearTimeout(timer)
      if (result) return result
      child.kill('SIGKILL')
      return exit
    },
  }
}
