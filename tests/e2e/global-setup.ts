import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { buildServer, buildWebAppIfStale } from '../helpers/build'

/**
 * What the browser tests reach: a built web app and sync server on free ports, with a fresh
 * data dir; `env` is theirs, for running the operator CLI beside them.
 */
export type E2eStack = { webUrl: string; syncUrl: string; env: NodeJS.ProcessEnv }

declare module 'vitest' {
  export interface ProvidedContext {
    e2eStack: E2eStack
  }
}

const NEXT = 'node_modules/next/dist/bin/next'
const READY_TIMEOUT_MS = 60_000

export default async function setup(project: TestProject) {
  buildWebAppIfStale()
  buildServer()

  const dataDir = mkdtempSync(join(tmpdir(), 'cowrite-e2e-'))
  const [webPort, syncPort] = await freePorts(2)
  const webUrl = `http://127.0.0.1:${webPort}`
  const syncUrl = `ws://127.0.0.1:${syncPort}`
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'production',
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HOST: '127.0.0.1',
    PORT: String(webPort),
    SYNC_PORT: String(syncPort),
    DATA_DIR: dataDir,
    SECRET: randomBytes(32).toString('base64url'),
    PUBLIC_URL: webUrl,
    SYNC_URL: syncUrl,
    LOG_LEVEL: 'warn',
    NEXT_TELEMETRY_DISABLED: '1',
  }
  const started: Started[] = []
  const teardown = async () => {
    await Promise.all(started.map(stop))
    rmSync(dataDir, { recursive: true, force: true })
  }
  try {
    started.push(start('sync server', ['dist/sync-server.js'], env))
    started.push(start('web app', [NEXT, 'start', '-p', String(webPort), '-H', '127.0.0.1'], env))
    await Promise.all([
      waitForOk(`http://127.0.0.1:${syncPort}/healthz`, started[0]),
      waitForOk(`${webUrl}/`, started[1]),
    ])
  } catch (error) {
    await teardown()
    throw error
  }
  project.provide('e2eStack', { webUrl, syncUrl, env })
  return teardown
}

type Started = { name: string; child: ChildProcess; output: string[]; exited: Promise<void> }

function start(name: string, args: string[], env: NodeJS.ProcessEnv): Started {
  // Its own process group, so stopping it also stops anything it spawned.
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  const output: string[] = []
  const keep = (chunk: Buffer) => output.push(chunk.toString())
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return { name, child, output, exited }
}

async function stop({ child, exited }: Started) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  process.kill(-child.pid, 'SIGTERM')
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

async function waitForOk(url: string, server: Started) {
  const deadline = Date.now() + READY_TIMEOUT_MS
  let last = ''
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(`${server.name} exited with ${server.child.exitCode}:\n${server.output.join('')}`)
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) })
      if (response.status === 200) return
      last = `status ${response.status}`
    } catch (error) {
      last = String(error)
    }
    await Promise.race([server.exited, new Promise((resolve) => setTimeout(resolve, 100))])
  }
  throw new Error(`${server.name} not ready at ${url} after ${READY_TIMEOUT_MS} ms (${last}):\n${server.output.join('')}`)
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer()
      return new Promise<typeof server>((resolve, reject) => {
        server.once('error', reject)
        server.listen(0, '127.0.0.1', () => resolve(server))
      })
    }),
  )
  const ports = servers.map((server) => {
    const address = server.address()
    if (address === null || typeof address === 'string') throw new Error('no port')
    return address.port
  })
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
  return ports
}
