import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Close } from '../../lib/close-codes'
import type { DocLinks } from '../../lib/links'
import { adminKey, verifyToken } from '../../lib/tokens'
import { connect, synced } from '../helpers/clients'
import { rawClient } from '../helpers/raw-client'
import { type SyncProcess, TEST_SECRET, startSyncProcess, tempDataDir } from '../helpers/sync-process'

const run = promisify(execFile)

describe('operator CLI and start-up, beside a running sync server', () => {
  let data: ReturnType<typeof tempDataDir>
  let server: SyncProcess
  let env: NodeJS.ProcessEnv

  beforeAll(async () => {
    data = tempDataDir()
    server = await startSyncProcess(data.dir)
    env = {
      ...process.env,
      DATA_DIR: data.dir,
      SECRET: TEST_SECRET,
      PUBLIC_URL: 'https://docs.example.com',
      SYNC_INTERNAL_URL: server.httpUrl,
    }
  })

  afterAll(async () => {
    await server.stop()
    data.remove()
  })

  async function cli(...args: string[]): Promise<DocLinks> {
    const { stdout } = await run(process.execPath, ['dist/cli.js', ...args], { env })
    return JSON.parse(stdout) as DocLinks
  }

  it('create prints the links JSON, and its edit token opens the document on the server', async () => {
    const links = await cli('create')
    expect(links.editUrl).toBe(`https://docs.example.com/d/${links.id}?t=${links.sync.editToken}`)
    expect(links.sync.url).toBe('wss://docs.example.com/sync')
    expect(verifyToken(TEST_SECRET, links.id, links.sync.viewToken)?.role).toBe('view')
    const client = connect(server.url, links.id, links.sync.editToken)
    await synced(client)
    client.destroy()
  })

  it('links prints the same links for an existing document; reset-links revokes them, open connections included', async () => {
    const created = await cli('create')
    expect(await cli('links', created.id)).toEqual(created)
    const client = connect(server.url, created.id, created.sync.editToken)
    await synced(client)
    const closed = new Promise<number>((resolve) =>
      client.provider.on('connection-close', (event: CloseEvent | null) => event && resolve(event.code)),
    )
    const reset = await cli('reset-links', created.id)
    expect(reset.sync.editToken).not.toBe(created.sync.editToken)
    expect(await closed).toBe(Close.LinkRevoked.code)
    client.destroy()
    expect(await cli('links', created.id)).toEqual(reset)
    const stale = rawClient(`${server.url}/${created.id}?token=${created.sync.viewToken}`)
    expect((await stale.closed).code).toBe(Close.LinkRevoked.code)
    expect(stale.messages).toHaveLength(0)
  })

  it('resets only from the current generation when asked to compare first', async () => {
    const created = await cli('create')
    const reset = (from: number) =>
      fetch(`${server.httpUrl}/admin/docs/${created.id}/reset-links?from=${from}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey(TEST_SECRET)}` },
      })
    const first = await reset(0)
    expect(first.status).toBe(200)
    expect(await first.json()).toMatchObject({ linkGeneration: 1 })
    const late = await reset(0)
    expect(late.status).toBe(409)
    expect(await late.json()).toMatchObject({ linkGeneration: 1 })
  })

  it('rejects a bad document id with a message and a non-zero exit', async () => {
    await expect(run(process.execPath, ['dist/cli.js', 'links', 'nope'], { env })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('"nope" is not a document id'),
    })
  })

  it('npm start refuses a bad configuration value, naming the variable', async () => {
    const bad = { ...env, SYNC_PORT: 'not-a-port', LOG_LEVEL: 'loud' }
    const failure = await run(process.execPath, ['dist/launcher.js', 'sync'], { env: bad }).catch((error) => error)
    expect(failure.code).toBe(2)
    expect(failure.stderr).toMatch(/SYNC_PORT/)
    expect(failure.stderr).toMatch(/LOG_LEVEL/)
  })
})
