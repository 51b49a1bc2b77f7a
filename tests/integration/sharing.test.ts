import * as decoding from 'lib0/decoding'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { Close } from '../../lib/close-codes'
import { MessageType, encodeAwareness, encodeUpdate } from '../../lib/protocol-messages'
import { adminKey } from '../../lib/tokens'
import { type Client, connect, newDocId, synced, tokenFor } from '../helpers/clients'
import { rawClient } from '../helpers/raw-client'
import { type SyncProcess, TEST_SECRET, startSyncProcess, tempDataDir } from '../helpers/sync-process'

/** The sharing rules of issue 4 that the other suites do not already pin down, against the real process. */
describe('sharing rules of the sync server', () => {
  let data: ReturnType<typeof tempDataDir>
  let servers: SyncProcess[]
  let clients: Client[]
  let sockets: Array<ReturnType<typeof rawClient>>

  beforeEach(() => {
    data = tempDataDir()
    servers = []
    clients = []
    sockets = []
  })

  afterEach(async () => {
    for (const client of clients) client.destroy()
    for (const socket of sockets) socket.ws.terminate()
    for (const server of servers) await server.stop('SIGKILL')
    data.remove()
  })

  async function start(env: Record<string, string> = {}): Promise<SyncProcess> {
    const server = await startSyncProcess(data.dir, env)
    servers.push(server)
    return server
  }

  function join(server: SyncProcess, docId: string, token: string): Client {
    const client = connect(server.url, docId, token)
    clients.push(client)
    return client
  }

  function raw(url: string) {
    const socket = rawClient(url)
    sockets.push(socket)
    return socket
  }

  async function admin(server: SyncProcess, method: string, path: string, key = adminKey(TEST_SECRET)): Promise<Response> {
    return fetch(`${server.httpUrl}${path}`, { method, headers: { authorization: `Bearer ${key}` } })
  }

  function closeCode(client: Client): Promise<number> {
    return new Promise((resolve) =>
      client.provider.on('connection-close', (event: CloseEvent | null) => event && resolve(event.code)),
    )
  }

  it('a reset closes open edit and view connections within a second, and stays in force after SIGKILL and a restart', async () => {
    const server = await start()
    const docId = newDocId()
    const editor = join(server, docId, tokenFor(docId, 'edit'))
    const viewer = join(server, docId, tokenFor(docId, 'view'))
    await Promise.all([synced(editor), synced(viewer)])
    editor.doc.getText('t').insert(0, 'kept across the reset')
    await vi.waitFor(() => expect(viewer.doc.getText('t').toString()).toBe('kept across the reset'))

    const closes = [editor, viewer].map((client) => closeCode(client).then((code) => ({ code, at: performance.now() })))
    const resetAt = performance.now()
    const reset = await admin(server, 'POST', `/admin/docs/${docId}/reset-links`)
    expect(await reset.json()).toEqual({ docId, linkGeneration: 1 })
    for (const { code, at } of await Promise.all(closes)) {
      expect(code).toBe(Close.LinkRevoked.code)
      expect(at - resetAt).toBeLessThan(1_000)
    }

    await server.stop('SIGKILL')
    const restarted = await start()
    expect(await (await admin(restarted, 'GET', `/admin/docs/${docId}`)).json()).toMatchObject({ linkGeneration: 1 })
    for (const role of ['edit', 'view'] as const) {
      const stale = raw(`${restarted.url}/${docId}?token=${tokenFor(docId, role, 0)}`)
      expect(await stale.closed).toEqual({ code: Close.LinkRevoked.code, reason: Close.LinkRevoked.reason })
      expect(stale.messages).toHaveLength(0)
    }
    const fresh = join(restarted, docId, tokenFor(docId, 'edit', 1))
    await synced(fresh)
    expect(fresh.doc.getText('t').toString()).toBe('kept across the reset')
  })

  it('tells a view connection its update was refused, and still relays its awareness', async () => {
    const server = await start()
    const docId = newDocId()
    const editor = join(server, docId, tokenFor(docId, 'edit'))
    await synced(editor)
    const viewer = raw(`${server.url}/${docId}?token=${tokenFor(docId, 'view')}`)
    await viewer.opened
    await vi.waitFor(() => expect(viewer.messages.length).toBeGreaterThan(0))

    const forged = new Y.Doc()
    forged.getText('t').insert(0, 'written by a viewer')
    viewer.ws.send(encodeUpdate(Y.encodeStateAsUpdate(forged)))
    const presence = new Awareness(new Y.Doc())
    presence.setLocalState({ user: { name: 'Viewer', role: 'view' } })
    viewer.ws.send(encodeAwareness(encodeAwarenessUpdate(presence, [presence.clientID])))

    await vi.waitFor(() => expect(viewer.messages.map(permissionDenied)).toContain('view-only'))
    // The awareness went out after the update on the same socket: once the editor sees it, the update was handled.
    await vi.waitFor(() => expect(editor.provider.awareness.getStates().get(presence.clientID)?.user?.name).toBe('Viewer'))
    expect(editor.doc.getText('t').toString()).toBe('')
    expect(viewer.ws.readyState).toBe(viewer.ws.OPEN)
  })

  it('never writes a token, the secret or the admin key to its output, even at LOG_LEVEL=trace', async () => {
    const server = await start({ LOG_LEVEL: 'trace' })
    let output = ''
    server.child.stdout!.on('data', (chunk) => (output += chunk))
    server.child.stderr!.on('data', (chunk) => (output += chunk))
    const docId = newDocId()
    const tokens = [tokenFor(docId, 'edit'), tokenFor(docId, 'view'), tokenFor(docId, 'edit', 1), tokenFor(docId, 'view', 1)]

    const editor = join(server, docId, tokens[0])
    await synced(editor)
    editor.doc.getText('t').insert(0, 'hello')
    const viewer = raw(`${server.url}/${docId}?token=${tokens[1]}`)
    await viewer.opened
    viewer.ws.send(encodeUpdate(Y.encodeStateAsUpdate(editor.doc)))
    await vi.waitFor(() => expect(viewer.messages.map(permissionDenied)).toContain('view-only'))
    const attempts = [
      tokens[0].slice(0, -3),
      tokenFor(docId, 'edit', 0, 'another-secret-of-at-least-32-chars!!'),
      tokenFor(newDocId(), 'edit'),
      `e${tokens[1].slice(1)}`,
    ]
    tokens.push(...attempts)
    for (const token of attempts) expect((await raw(`${server.url}/${docId}?token=${token}`).closed).code).toBe(Close.Unauthorized.code)
    expect((await admin(server, 'GET', `/admin/docs/${docId}`, 'not-the-key')).status).toBe(401)
    expect((await admin(server, 'POST', `/admin/docs/${docId}/reset-links`)).status).toBe(200)
    expect((await raw(`${server.url}/${docId}?token=${tokens[0]}`).closed).code).toBe(Close.LinkRevoked.code)
    const fresh = join(server, docId, tokens[2])
    await synced(fresh)
    expect(await server.stop('SIGTERM')).toBe(0)

    // It did log about all of this: the absence below is not an empty log.
    expect(output).toContain(docId)
    for (const token of tokens) {
      expect(output).not.toContain(token)
      expect(output).not.toContain(token.split('.').at(-1))
    }
    expect(output).not.toContain(TEST_SECRET)
    expect(output).not.toContain(adminKey(TEST_SECRET))
  })
})

/** The reason of a y-protocols auth "permission denied" message, or null for any other frame. */
function permissionDenied(frame: Uint8Array): string | null {
  const decoder = decoding.createDecoder(frame)
  if (decoding.readVarUint(decoder) !== MessageType.Auth || decoding.readVarUint(decoder) !== 0) return null
  return decoding.readVarString(decoder)
}
