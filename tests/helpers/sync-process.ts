import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export const TEST_SECRET = 'integration-test-secret-0123456789abcdef'

export type SyncProcess = {
  port: number
  url: string
  httpUrl: string
  child: ChildProcess
  /** Every JSON log line the server printed so far. */
  logs: Array<Record<string, unknown>>
  /** Sends `signal` and resolves with the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/** A temp DATA_DIR, removed by `remove()`. */
export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'cowrite-test-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Starts dist/sync-server.js on a free port and resolves once it is listening. */
export async function startSyncProcess(dataDir: string, env: Record<string, string> = {}): Promise<SyncProcess> {
  const child = spawn(process.execPath, ['dist/sync-server.js'], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      SYNC_PORT: '0',
      DATA_DIR: dataDir,
      SECRET: TEST_SECRET,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: Array<Record<string, unknown>> = []
  let stderr = ''
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`sync server did not start within 15 s: ${stderr}`))
    }, 15_000)
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: Record<string, unknown>
      try {
        entry = JSON.parse(line)
      } catch {
        return
      }
      logs.push(entry)
      if (entry.msg === 'server.listening') {
        clearTimeout(timer)
        resolve(entry.port as number)
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`sync server exited with ${code} before listening: ${stderr}`))
    })
  })
  return {
    port,
    url: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    child,
    logs,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    },
  }
}
