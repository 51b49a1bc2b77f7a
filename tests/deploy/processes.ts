import { type ChildProcess, execFile, spawn } from 'node:child_process'
import type { IncomingHttpHeaders } from 'node:http'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { createServer } from 'node:net'
import { promisify } from 'node:util'

/** A program this suite started, in its own process group so that stopping it stops its children too. */
export type Started = {
  name: string
  child: ChildProcess
  output: string[]
  exited: Promise<void>
  /** SIGTERM to the group, SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>
}

const STOP_TIMEOUT_MS = 10_000

/** A child's whole environment: the programs here get only what they need. */
export type Env = Record<string, string | undefined>

/** PATH for the system tools (nginx lives in /usr/sbin, which a non-login PATH may lack). */
export const TOOLS_PATH = [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/local/sbin', '/usr/sbin', '/sbin'].join(':')

/** Runs a system tool to completion within 30 s; rejects, with its output, if it fails. */
export function runTool(command: string, args: string[], env: Env = { PATH: TOOLS_PATH }) {
  return promisify(execFile)(command, args, { env: env as NodeJS.ProcessEnv, timeout: 30_000 })
}

export function startProcess(name: string, command: string, args: string[], env: Env): Started {
  const child = spawn(command, args, { env: env as NodeJS.ProcessEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  const output: string[] = []
  const keep = (chunk: Buffer) => output.push(chunk.toString())
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.once('error', (error) => output.push(`${name}: ${error.message}\n`))
  const running = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined
  return {
    name,
    child,
    output,
    exited,
    async stop() {
      if (!running()) return
      signalGroup(child, 'SIGTERM')
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS)
      await exited
      clearTimeout(timer)
    },
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal)
  } catch (error) {
    // The group is gone already.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
  }
}

export type Reply = { status: number; headers: IncomingHttpHeaders; body: string }

/**
 * One HTTP(S) request that follows no redirect and accepts the tests' self-signed certificates
 * (fetch cannot be told to, short of turning certificate checks off for the whole process).
 */
export function send(url: string, options: { method?: string; body?: Uint8Array; timeoutMs?: number } = {}): Promise<Reply> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', rejectUnauthorized: false, timeout: options.timeoutMs ?? 10_000 }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within ${options.timeoutMs ?? 10_000} ms`)))
    req.on('error', reject)
    req.end(options.body)
  })
}

/** Polls `url` until it answers `status`; fails early, with the program's output, if `started` exits. */
export async function waitForStatus(url: string, started: Started, status = 200, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null || started.child.signalCode !== null) {
      throw new Error(`${started.name} exited (${started.child.exitCode ?? started.child.signalCode}):\n${started.output.join('')}`)
    }
    try {
      const reply = await send(url, { timeoutMs: 2_000 })
      if (reply.status === status) return
      last = `status ${reply.status}`
    } catch (error) {
      last = String(error)
    }
    await Promise.race([started.exited, new Promise((resolve) => setTimeout(resolve, 100))])
  }
  throw new Error(`${started.name}: ${url} did not answer ${status} within ${timeoutMs} ms (${last}):\n${started.output.join('')}`)
}

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}
