import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Close } from '../../lib/close-codes'
import { type Client, connect, newDocId, synced, tokenFor } from '../helpers/clients'
import { type SyncProcess, startSyncProcess, tempDataDir } from '../helpers/sync-process'

describe('durability of the sync server process', () => {
  let data: ReturnType<typeof tempDataDir>
  let servers: SyncProcess[]
  let clients: Client[]

  beforeEach(() => {
    data = tempDataDir()
    servers = []
    clients = []
  })

  afterEach(async () => {
    for (const client of clients) client.destroy()
    for (const server of servers) await server.stop('SIGKILL')
    data.remove()
  })

  async function start(port = 0): Promise<SyncProcess> {
    const server = await startSyncProcess(data.dir, { SYNC_PORT: String(port) })
    servers.push(server)
    return server
  }

  function join(server: SyncProcess, docId: string): Client {
    const client = connect(server.url, docId, tokenFor(docId, 'edit'))
    clients.push(client)
    return client
  }

  it('keeps everything across SIGTERM and a restart, and connected clients reconnect by themselves', async () => {
    const server = await start()
    const docId = newDocId()
    const alice = join(server, docId)
    const bob = join(server, docId)
    await Promise.all([synced(alice), synced(bob)])
    const closeCodes: number[] = []
    alice.provider.on('connection-close', (event: CloseEvent | null) => event && closeCodes.push(event.code))
    for (let i = 0; i < 200; i++) alice.doc.getText('t').insert(i, String.fromCharCode(97 + (i % 26)))
    const text = alice.doc.getText('t').toString()
    await vi.waitFor(() => expect(bob.doc.getText('t').toString()).toBe(text))

    expect(await server.stop('SIGTERM')).toBe(0)
    expect(closeCodes).toContain(Close.Restarting.code)

    const restarted = await start(server.port)
    const carol = join(restarted, docId)
    await synced(carol)
    expect(carol.doc.getText('t').toString()).toBe(text)
    // The old clients come back on their own and keep editing.
    await vi.waitFor(() => expect(alice.provider.wsconnected && bob.provider.wsconnected).toBe(true), { timeout: 10_000 })
    bob.doc.getText('t').insert(0, 'again ')
    await vi.waitFor(() => expect(alice.doc.getText('t').toString()).toBe('again ' + text))
    await vi.waitFor(() => expect(carol.doc.getText('t').toString()).toBe('again ' + text))
  })

  it('keeps every edit a second client has received across SIGKILL 100 ms later, every time', async () => {
    let server = await start()
    for (let round = 0; round < 3; round++) {
      const docId = newDocId()
      const alice = join(server, docId)
      const bob = join(server, docId)
      await Promise.all([synced(alice), synced(bob)])
      // 500 separate edits, each its own update message.
      for (let i = 0; i < 500; i++) alice.doc.getText('t').insert(i, String.fromCharCode(97 + (i % 26)))
      const text = alice.doc.getText('t').toString()
      await vi.waitFor(() => expect(bob.doc.getText('t').toString()).toBe(text))
      const received = performance.now()
      await vi.waitFor(() => expect(performance.now() - received).toBeGreaterThanOrEqual(100), { interval: 5 })
      await server.stop('SIGKILL')
      alice.provider.disconnect()
      bob.provider.disconnect()

      server = await start()
      const carol = join(server, docId)
      await synced(carol)
      expect(carol.doc.getText('t').toString(), `round ${round}`).toBe(text)
    }
  })

  it('reports healthy over HTTP and stops with exit code 0', async () => {
    const server = await start()
    const health = await fetch(`${server.httpUrl}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'ok' })
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text()
    expect(metrics).toContain('cowrite_connections')
    // Ctrl-C reaches every process of the group, and the launcher forwards it too: a repeated signal is the same request.
    server.child.kill('SIGINT')
    expect(await server.stop('SIGTERM')).toBe(0)
    expect(server.logs.map((l) => l.msg)).toContain('server.stopped')
  })
})
