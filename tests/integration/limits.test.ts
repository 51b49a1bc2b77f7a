import { connect as connectTcp } from 'node:net'
import pino from 'pino'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { Close } from '../../lib/close-codes'
import { decodeSaved, encodeSaved, encodeSyncStep1, encodeUpdate } from '../../lib/protocol-messages'
import { type Client, connect, newDocId, synced, tokenFor } from '../helpers/clients'
import { type RunningServer, startInProcess } from '../helpers/in-process'
import { rawClient } from '../helpers/raw-client'
import { tempDataDir } from '../helpers/sync-process'
import { MemoryDocStore } from '../../server/store/memory-store'

describe('limits and hostile input', () => {
  let data: ReturnType<typeof tempDataDir>
  let server: RunningServer
  let clients: Client[] = []
  const sockets: WebSocket[] = []

  async function start(env: Record<string, string> = {}): Promise<RunningServer> {
    data = tempDataDir()
    server = await startInProcess(data.dir, env)
    return server
  }

  afterEach(async () => {
    for (const client of clients) client.destroy()
    for (const ws of sockets) ws.terminate()
    clients = []
    sockets.length = 0
    await server.stop()
    data.remove()
  })

  function editUrl(docId: string): string {
    return `${server.url}/${docId}?token=${tokenFor(docId, 'edit')}`
  }

  it('refuses frames above MAX_MESSAGE_BYTES at the ws layer, and the document is untouched', async () => {
    await start({ MAX_MESSAGE_BYTES: '1024' })
    const docId = newDocId()
    const alice = connect(server.url, docId, tokenFor(docId, 'edit'))
    clients.push(alice)
    await synced(alice)
    alice.doc.getText('t').insert(0, 'small')
    const raw = rawClient(editUrl(docId))
    sockets.push(raw.ws)
    await raw.opened
    raw.ws.send(encodeUpdate(new Uint8Array(4096)))
    expect((await raw.closed).code).toBe(1009)
    const bob = connect(server.url, docId, tokenFor(docId, 'edit'))
    clients.push(bob)
    await synced(bob)
    await vi.waitFor(() => expect(bob.doc.getText('t').toString()).toBe('small'))
  })

  it('caps connections per address with close code 4429', async () => {
    await start({ MAX_CONNECTIONS_PER_ADDRESS: '3' })
    const docId = newDocId()
    const admitted = [rawClient(editUrl(docId)), rawClient(editUrl(docId)), rawClient(editUrl(docId))]
    sockets.push(...admitted.map((c) => c.ws))
    await Promise.all(admitted.map((c) => c.opened))
    await vi.waitFor(() => expect(admitted.every((c) => c.messages.length > 0)).toBe(true))
    const refused = rawClient(editUrl(docId))
    expect(await refused.closed).toEqual({ code: Close.RateLimited.code, reason: Close.RateLimited.reason })
    expect(refused.messages).toHaveLength(0)
    // A slot freed is a slot available again.
    admitted[0].ws.close()
    await admitted[0].closed
    await vi.waitFor(async () => {
      const again = rawClient(editUrl(docId))
      sockets.push(again.ws)
      await again.opened
      await vi.waitFor(() => expect(again.messages.length).toBeGreaterThan(0), { timeout: 500 })
    })
  })

  it('gives back the slot of an admitted upgrade that ws then refuses', async () => {
    await start({ MAX_CONNECTIONS_PER_ADDRESS: '2' })
    const docId = newDocId()
    const { pathname, search } = new URL(editUrl(docId))
    // A valid token, so it is admitted and counted, but a WebSocket version ws refuses with 400.
    for (let i = 0; i < 3; i++) {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connectTcp(server.port, '127.0.0.1', () =>
          socket.write(
            `GET ${pathname}${search} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
              'Sec-WebSocket-Version: 99\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
          ),
        )
        let received = ''
        socket.on('data', (chunk) => (received += chunk))
        socket.on('close', () => resolve(received))
        socket.on('error', reject)
      })
      expect(answer).toMatch(/^HTTP\/1\.1 400/)
    }
    const admitted = [rawClient(editUrl(docId)), rawClient(editUrl(docId))]
    sockets.push(...admitted.map((c) => c.ws))
    await Promise.all(admitted.map((c) => c.opened))
    await vi.waitFor(() => expect(admitted.every((c) => c.messages.length > 0)).toBe(true))
  })

  it('closes a connection that floods messages with 4429; the others carry on', async () => {
    await start({ MAX_MESSAGES_PER_SECOND: '50' })
    const docId = newDocId()
    const alice = connect(server.url, docId, tokenFor(docId, 'edit'))
    clients.push(alice)
    await synced(alice)
    const flooder = rawClient(editUrl(docId))
    sockets.push(flooder.ws)
    await flooder.opened
    const query = encodeSyncStep1(Y.encodeStateVector(new Y.Doc()))
    for (let i = 0; i < 1000 && flooder.ws.readyState === WebSocket.OPEN; i++) flooder.ws.send(query)
    expect((await flooder.closed).code).toBe(Close.RateLimited.code)
  })

  it('drops a client that stops reading once its send buffer passes MAX_BUFFERED_BYTES', async () => {
    await start({ MAX_BUFFERED_BYTES: String(256 * 1024), MAX_MESSAGES_PER_SECOND: '100000' })
    const docId = newDocId()
    const alice = connect(server.url, docId, tokenFor(docId, 'edit'))
    clients.push(alice)
    await synced(alice)
    alice.doc.getText('t').insert(0, 'x'.repeat(100_000))
    await server.store.flush()
    const stalled = rawClient(editUrl(docId))
    sockets.push(stalled.ws)
    await stalled.opened
    // Stop reading: the server keeps answering sync requests into a socket nobody drains.
    ;(stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause()
    const query = encodeSyncStep1(Y.encodeStateVector(new Y.Doc()))
    const connsBefore = server.rooms.connectionsOf(docId).length
    for (let i = 0; i < 200; i++) stalled.ws.send(query)
    await vi.waitFor(() => expect(server.rooms.connectionsOf(docId).length).toBe(connsBefore - 1), { timeout: 10_000 })
    alice.doc.getText('t').insert(0, 'still here ')
    const bob = connect(server.url, docId, tokenFor(docId, 'edit'))
    clients.push(bob)
    await synced(bob)
    await vi.waitFor(() => expect(bob.doc.getText('t').toString().startsWith('still here ')).toBe(true))
  })

  it('pings silent connections and drops the ones that stop answering; silent ones that answer stay', async () => {
    await start({ PING_INTERVAL_MS: '300' })
    const docId = newDocId()
    const [dead, quiet] = [rawClient(editUrl(docId)), rawClient(editUrl(docId))]
    sockets.push(dead.ws, quiet.ws)
    await Promise.all([dead.opened, quiet.opened])
    await vi.waitFor(() => expect(server.rooms.connectionsOf(docId)).toHaveLength(2))
    let pings = 0
    quiet.ws.on('ping', () => pings++)
    // A peer that vanished: nothing it receives is read, so no ping is ever answered.
    ;(dead.ws as unknown as { _socket: { pause(): void } })._socket.pause()
    await vi.waitFor(() => expect(server.rooms.connectionsOf(docId)).toHaveLength(1), { timeout: 10_000 })
    expect(pings).toBeGreaterThan(0)
    expect(quiet.ws.readyState).toBe(WebSocket.OPEN)
  })

  it('refuses a browser origin that is not allowed with 4403, and accepts PUBLIC_URL and ALLOWED_ORIGINS', async () => {
    await start({ PUBLIC_URL: 'https://docs.example.com', ALLOWED_ORIGINS: 'https://other.example.com' })
    const docId = newDocId()
    const open = (origin: string) => {
      const ws = new WebSocket(editUrl(docId), { origin })
      sockets.push(ws)
      const messages: unknown[] = []
      ws.on('message', (m) => messages.push(m))
      return {
        messages,
        closed: new Promise<number>((resolve) => ws.once('close', (code) => resolve(code))),
        firstMessage: new Promise<void>((resolve) => ws.once('message', () => resolve())),
      }
    }
    const evil = open('https://evil.example.net')
    expect(await evil.closed).toBe(Close.ForbiddenOrigin.code)
    expect(evil.messages).toHaveLength(0)
    await open('https://docs.example.com').firstMessage
    await open('https://other.example.com').firstMessage
  })

  it('acknowledges a save request after the edits sent before it are on disk', async () => {
    await start()
    const docId = newDocId()
    const raw = rawClient(editUrl(docId))
    sockets.push(raw.ws)
    await raw.opened
    const doc = new Y.Doc()
    doc.on('update', (update: Uint8Array) => raw.ws.send(encodeUpdate(update)))
    doc.getText('t').insert(0, 'saved for real')
    raw.ws.send(encodeSaved(41))
    await vi.waitFor(() => expect(raw.messages.some((m) => decodeSaved(m) === 41)).toBe(true))
    const stored = new Y.Doc()
    for (const update of await server.store.load(docId)) Y.applyUpdate(stored, update)
    expect(stored.getText('t').toString()).toBe('saved for real')
  })

  it('turns /healthz unhealthy while store writes fail, keeps the document, and recovers', async () => {
    data = tempDataDir()
    const store = new MemoryDocStore()
    server = await startInProcess(data.dir, {}, { store })
    const docId = newDocId()
    const alice = connect(server.url, docId, tokenFor(docId, 'edit'))
    const bob = connect(server.url, docId, tokenFor(docId, 'edit'))
    clients.push(alice, bob)
    await Promise.all([synced(alice), synced(bob)])
    store.failWrites = true
    alice.doc.getText('t').insert(0, 'typed while the disk was failing')
    await vi.waitFor(async () => expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(503))
    await vi.waitFor(() => expect(bob.doc.getText('t').toString()).toBe('typed while the disk was failing'))
    store.failWrites = false
    await vi.waitFor(async () => expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200))
    const stored = new Y.Doc()
    for (const update of await store.load(docId)) Y.applyUpdate(stored, update)
    expect(stored.getText('t').toString()).toBe('typed while the disk was failing')
  })

  it('stops only once a failing store has written everything, and says what it waits for meanwhile', async () => {
    data = tempDataDir()
    const store = new MemoryDocStore()
    const lines: Array<{ msg: string; documents?: number }> = []
    const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) })
    server = await startInProcess(data.dir, {}, { store, log })
    const docId = newDocId()
    const alice = connect(server.url, docId, tokenFor(docId, 'edit'))
    clients.push(alice)
    await synced(alice)
    store.failWrites = true
    alice.doc.getText('t').insert(0, 'typed before the stop')
    await vi.waitFor(() => expect(store.healthy).toBe(false))
    expect(store.storedBytes(docId)).toBe(0)
    let stopped = false
    const stopping = server.stop().then(() => (stopped = true))
    await vi.waitFor(() => expect(lines.find((line) => line.msg === 'server.stop.waiting')).toMatchObject({ documents: 1 }))
    expect(stopped).toBe(false)
    store.failWrites = false
    await stopping
    // Written before the store closed (a closed store can no longer be read back).
    expect(store.storedBytes(docId)).toBeGreaterThan(0)
  })

  it('relays awareness of many clients moving at once in few broadcasts', async () => {
    await start()
    const docId = newDocId()
    const watcher = connect(server.url, docId, tokenFor(docId, 'view'))
    clients.push(watcher)
    const movers = Array.from({ length: 10 }, () => connect(server.url, docId, tokenFor(docId, 'edit')))
    clients.push(...movers)
    await Promise.all([watcher, ...movers].map((c) => synced(c)))
    let broadcasts = 0
    ;(watcher.provider.ws as unknown as WebSocket).addEventListener('message', () => broadcasts++)
    for (let round = 0; round < 5; round++) {
      for (const [i, mover] of movers.entries()) mover.provider.awareness.setLocalStateField('cursor', { round, i })
    }
    await vi.waitFor(() => {
      for (const mover of movers) expect(watcher.provider.awareness.getStates().get(mover.doc.clientID)?.cursor?.round).toBe(4)
    })
    // 50 changes reached the watcher in far fewer messages than one per change.
    expect(broadcasts).toBeLessThan(25)
  })
})
