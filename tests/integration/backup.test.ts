import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Close } from '../../lib/close-codes'
import { type Client, connect, newDocId, synced, tokenFor } from '../helpers/clients'
import { rawClient } from '../helpers/raw-client'
import { type SyncProcess, TEST_SECRET, startSyncProcess, tempDataDir } from '../helpers/sync-process'

const run = promisify(execFile)

describe('backup, restore, list and delete beside a running server', () => {
  const dirs: Array<ReturnType<typeof tempDataDir>> = []
  const servers: SyncProcess[] = []
  const clients: Client[] = []

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    for (const server of servers.splice(0)) await server.stop('SIGKILL')
    for (const dir of dirs.splice(0)) dir.remove()
  })

  function dataDir(): string {
    const dir = tempDataDir()
    dirs.push(dir)
    return dir.dir
  }

  async function start(dir: string): Promise<SyncProcess> {
    const server = await startSyncProcess(dir)
    servers.push(server)
    return server
  }

  function join_(server: SyncProcess, docId: string): Client {
    const client = connect(server.url, docId, tokenFor(docId, 'edit'))
    clients.push(client)
    return client
  }

  function cli(dir: string, server: SyncProcess | undefined, ...args: string[]) {
    return run(process.execPath, ['dist/cli.js', ...args], {
      env: { ...process.env, DATA_DIR: dir, SECRET: TEST_SECRET, SYNC_INTERNAL_URL: server?.httpUrl ?? 'http://127.0.0.1:9' },
    })
  }

  it('backs up a live server during writes and restores every document into a fresh directory', async () => {
    const source = dataDir()
    const server = await start(source)
    const docIds = Array.from({ length: 12 }, newDocId)
    const expected = new Map<string, string>()
    for (const [i, docId] of docIds.entries()) {
      const client = join_(server, docId)
      await synced(client)
      client.doc.getMap('meta').set('title', `Document ${i}`)
      client.doc.getText('t').insert(0, `content of document ${i} `.repeat(i + 1))
      expected.set(docId, client.doc.getText('t').toString())
    }
    // Make the server unload some documents so the backup reads both memory and disk.
    for (const client of clients.slice(0, 6)) client.provider.disconnect()

    // One document keeps changing while the backup runs.
    const busyId = docIds[11]
    const busy = clients[11]
    const reader = join_(server, busyId)
    await synced(reader)
    await vi.waitFor(() => expect(reader.doc.getText('t').toString()).toBe(expected.get(busyId)))
    let typing = true
    const typed = (async () => {
      for (let i = 0; typing && i < 5000; i++) {
        busy.doc.getText('t').insert(busy.doc.getText('t').length, '.')
        await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    const file = join(source, 'backup.jsonl')
    await cli(source, server, 'backup', file)
    typing = false
    await typed
    const finalBusy = busy.doc.getText('t').toString()
    await vi.waitFor(() => expect(reader.doc.getText('t').toString()).toBe(finalBusy))

    const lines = readFileSync(file, 'utf8').trim().split('\n')
    expect(JSON.parse(lines[0])).toMatchObject({ format: 'cowrite-backup', version: 1 })
    expect(lines).toHaveLength(docIds.length + 1)

    const target = dataDir()
    await cli(target, undefined, 'restore', file)
    const restored = await start(target)
    for (const docId of docIds) {
      const client = join_(restored, docId)
      await synced(client)
      const text = client.doc.getText('t').toString()
      if (docId === busyId) {
        // The busy document is whole as of some moment during the backup.
        expect(finalBusy.startsWith(text)).toBe(true)
        expect(text.startsWith(expected.get(busyId)!)).toBe(true)
      } else {
        expect(text).toBe(expected.get(docId))
      }
    }
    const { stdout } = await cli(target, restored, 'list')
    expect(stdout.trim().split('\n')).toHaveLength(docIds.length)
    expect(stdout).toContain('Document 3')
  })

  it('refuses to restore into a directory that holds documents, or while the server runs', async () => {
    const dir = dataDir()
    const server = await start(dir)
    const client = join_(server, newDocId())
    await synced(client)
    client.doc.getText('t').insert(0, 'x')
    const file = join(dir, 'backup.jsonl')
    await cli(dir, server, 'backup', file)
    await expect(cli(dir, server, 'restore', file)).rejects.toMatchObject({ stderr: expect.stringContaining('stop the sync server that runs on it first') })
    client.destroy()
    clients.length = 0
    await server.stop('SIGTERM')
    await expect(cli(dir, undefined, 'restore', file)).rejects.toMatchObject({ stderr: expect.stringContaining('restore into an empty DATA_DIR') })
  })

  it('keeps a deleted document deleted through a backup and a restore', async () => {
    const source = dataDir()
    const server = await start(source)
    const [keptId, deletedId] = [newDocId(), newDocId()]
    for (const docId of [keptId, deletedId]) {
      const client = join_(server, docId)
      await synced(client)
      client.doc.getText('t').insert(0, `text of ${docId}`)
    }
    await vi.waitFor(async () => expect((await cli(source, server, 'list')).stdout).toContain(deletedId), { timeout: 10_000 })
    await cli(source, server, 'delete', deletedId)
    const file = join(source, 'backup.jsonl')
    await cli(source, server, 'backup', file)
    const entries = readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => JSON.parse(line))
    expect(entries.find((entry) => entry.docId === deletedId)).toMatchObject({ meta: { deleted: true } })
    expect(entries.find((entry) => entry.docId === deletedId).state).toBeUndefined()

    const target = dataDir()
    const { stderr } = await cli(target, undefined, 'restore', file)
    expect(stderr).toContain('restored 1 documents')
    const restored = await start(target)
    const kept = join_(restored, keptId)
    await synced(kept)
    expect(kept.doc.getText('t').toString()).toBe(`text of ${keptId}`)
    expect((await cli(target, restored, 'list')).stdout).not.toContain(deletedId)
    // The deleted document's old link still does not open a new, empty document.
    const stale = rawClient(`${restored.url}/${deletedId}?token=${tokenFor(deletedId, 'edit')}`)
    expect((await stale.closed).code).toBe(Close.Deleted.code)
  })

  it('delete removes a document and closes its connections with 4404', async () => {
    const dir = dataDir()
    const server = await start(dir)
    const docId = newDocId()
    const alice = join_(server, docId)
    await synced(alice)
    alice.doc.getText('t').insert(0, 'to be deleted')
    await vi.waitFor(async () => expect((await cli(dir, server, 'list')).stdout).toContain(docId), { timeout: 10_000 })
    const closed = new Promise<number>((resolve) => alice.provider.on('connection-close', (e: CloseEvent | null) => e && resolve(e.code)))
    await cli(dir, server, 'delete', docId)
    expect(await closed).toBe(Close.Deleted.code)
    alice.provider.disconnect()
    expect((await cli(dir, server, 'list')).stdout).not.toContain(docId)
    // The old link does not open a new, empty document under the same id.
    const stale = rawClient(`${server.url}/${docId}?token=${tokenFor(docId, 'edit')}`)
    expect((await stale.closed).code).toBe(Close.Deleted.code)
    expect(stale.messages).toHaveLength(0)
  })
})
