import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { Close } from '../../lib/close-codes'
import { MessageType, SyncType, decodeClientMessage, encodeUpdate } from '../../lib/protocol-messages'
import { type Client, connect, newDocId, synced, tokenFor } from '../helpers/clients'
import { type RunningServer, startInProcess } from '../helpers/in-process'
import { rawClient } from '../helpers/raw-client'
import { tempDataDir } from '../helpers/sync-process'

describe('sync server with the stock y-websocket client', () => {
  let data: ReturnType<typeof tempDataDir>
  let server: RunningServer
  let clients: Client[]

  beforeEach(async () => {
    data = tempDataDir()
    server = await startInProcess(data.dir)
    clients = []
  })

  afterEach(async () => {
    for (const client of clients) client.destroy()
    await server.stop()
    data.remove()
  })

  function join(docId: string, role: 'edit' | 'view' = 'edit'): Client {
    const client = connect(server.url, docId, tokenFor(docId, role))
    clients.push(client)
    return client
  }

  it('two clients converge under concurrent edits on text, map and XML', async () => {
    const docId = newDocId()
    const alice = join(docId)
    const bob = join(docId)
    await Promise.all([synced(alice), synced(bob)])

    alice.doc.getText('t').insert(0, 'alice ')
    bob.doc.getText('t').insert(0, 'bob ')
    alice.doc.getMap('m').set('color', 'red')
    bob.doc.getMap('m').set('color', 'blue')
    bob.doc.getMap('m').set('size', 3)
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText('from alice')])
    alice.doc.getXmlFragment('default').insert(0, [p])
    const h = new Y.XmlElement('heading')
    h.insert(0, [new Y.XmlText('from bob')])
    bob.doc.getXmlFragment('default').insert(0, [h])

    await vi.waitFor(() => {
      expect(alice.doc.getText('t').length).toBe('alice bob '.length)
      expect(bob.doc.getText('t').toString()).toBe(alice.doc.getText('t').toString())
      expect(bob.doc.getMap('m').toJSON()).toEqual(alice.doc.getMap('m').toJSON())
      expect(bob.doc.getXmlFragment('default').toString()).toBe(alice.doc.getXmlFragment('default').toString())
      expect(alice.doc.getXmlFragment('default').length).toBe(2)
    })
    expect(alice.doc.getMap('m').get('size')).toBe(3)
    expect(['red', 'blue']).toContain(alice.doc.getMap('m').get('color'))
  })

  it('a late joiner gets the full state', async () => {
    const docId = newDocId()
    const alice = join(docId)
    await synced(alice)
    for (let i = 0; i < 100; i++) alice.doc.getText('t').insert(i, String(i % 10))
    const expected = alice.doc.getText('t').toString()
    const bob = join(docId)
    await synced(bob)
    await vi.waitFor(() => expect(bob.doc.getText('t').toString()).toBe(expected))
  })

  it('awareness appears, updates, and disappears when a client closes', async () => {
    const docId = newDocId()
    const alice = join(docId)
    const bob = join(docId)
    await Promise.all([synced(alice), synced(bob)])
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice', color: '#f00' })
    const aliceId = alice.doc.clientID
    await vi.waitFor(() => expect(bob.provider.awareness.getStates().get(aliceId)?.user?.name).toBe('Alice'))
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice B.', color: '#f00' })
    await vi.waitFor(() => expect(bob.provider.awareness.getStates().get(aliceId)?.user?.name).toBe('Alice B.'))
    // Close the socket without the client saying goodbye: the server must remove the state itself.
    alice.provider.awareness.off('update', (alice.provider as unknown as { _awarenessUpdateHandler: () => void })._awarenessUpdateHandler)
    alice.provider.ws?.close()
    alice.provider.shouldConnect = false
    await vi.waitFor(() => expect(bob.provider.awareness.getStates().has(aliceId)).toBe(false))
  })

  it("a view token receives the document and awareness, and its edits are refused, never relayed or stored", async () => {
    const docId = newDocId()
    const alice = join(docId)
    await synced(alice)
    alice.doc.getText('t').insert(0, 'written by alice')
    const viewer = join(docId, 'view')
    await synced(viewer)
    await vi.waitFor(() => expect(viewer.doc.getText('t').toString()).toBe('written by alice'))

    viewer.doc.getText('t').insert(0, 'FORGED ')
    // The viewer's awareness is sent after its edit on the same socket: once alice sees it,
    // the server has handled the edit too.
    viewer.provider.awareness.setLocalStateField('user', { name: 'Viewer' })
    await vi.waitFor(() => expect(alice.provider.awareness.getStates().get(viewer.doc.clientID)?.user?.name).toBe('Viewer'))
    alice.doc.getText('t').insert(0, '> ')
    await vi.waitFor(() => expect(viewer.doc.getText('t').toString()).toContain('> '))
    expect(alice.doc.getText('t').toString()).toBe('> written by alice')

    const late = join(docId)
    await synced(late)
    expect(late.doc.getText('t').toString()).toBe('> written by alice')
    await server.store.flush()
    const stored = new Y.Doc()
    for (const update of await server.store.load(docId)) Y.applyUpdate(stored, update)
    expect(stored.getText('t').toString()).toBe('> written by alice')
  })

  it('missing, malformed, forged, view-as-edit and other-document tokens get no document data', async () => {
    const docId = newDocId()
    const alice = join(docId)
    await synced(alice)
    alice.doc.getText('t').insert(0, 'secret text')
    await server.store.flush()

    const otherDoc = newDocId()
    const viewToken = tokenFor(docId, 'view')
    const attempts = [
      `${server.url}/${docId}`,
      `${server.url}/${docId}?token=garbage`,
      `${server.url}/${docId}?token=${tokenFor(docId, 'edit').slice(0, -2)}`,
      `${server.url}/${docId}?token=${tokenFor(docId, 'edit', 0, 'another-secret-of-at-least-32-chars!!')}`,
      `${server.url}/${docId}?token=${'e' + viewToken.slice(1)}`,
      `${server.url}/${docId}?token=${tokenFor(otherDoc, 'edit')}`,
      `${server.url}/not-a-doc-id?token=${tokenFor(docId, 'edit')}`,
      // Targets that `new URL()` and `decodeURIComponent` throw on: refused, and the server stays up.
      `${server.url}//a:b/${docId}`,
      `${server.url}/%E0%A4%A?token=${tokenFor(docId, 'edit')}`,
    ]
    for (const url of attempts) {
      const raw = rawClient(url)
      const closed = await raw.closed
      expect(closed, url).toEqual({ code: Close.Unauthorized.code, reason: Close.Unauthorized.reason })
      expect(raw.messages, url).toHaveLength(0)
    }
    const bob = join(docId)
    await synced(bob)
    expect(bob.doc.getText('t').toString()).toBe('secret text')
  })

  it('counts messages and bytes in /metrics', async () => {
    const docId = newDocId()
    const alice = join(docId)
    const bob = join(docId)
    await Promise.all([synced(alice), synced(bob)])
    alice.doc.getText('t').insert(0, 'counted')
    await vi.waitFor(() => expect(bob.doc.getText('t').toString()).toBe('counted'))
    const text = await (await fetch(`${server.httpUrl}/metrics`)).text()
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0)
    expect(value(/^cowrite_messages_in_total\{kind="update"\} (\d+)/m)).toBeGreaterThanOrEqual(1)
    expect(value(/^cowrite_messages_in_total\{kind="sync-step1"\} (\d+)/m)).toBeGreaterThanOrEqual(2)
    expect(value(/^cowrite_bytes_in_total (\d+)/m)).toBeGreaterThan(0)
    expect(value(/^cowrite_messages_out_total (\d+)/m)).toBeGreaterThanOrEqual(3)
    expect(value(/^cowrite_connections (\d+)/m)).toBe(2)
  })

  it('two documents never mix', async () => {
    const first = newDocId()
    const second = newDocId()
    const a1 = join(first)
    const b1 = join(first)
    const a2 = join(second)
    const b2 = join(second)
    await Promise.all([a1, b1, a2, b2].map((c) => synced(c)))
    a1.doc.getText('t').insert(0, 'one')
    a2.doc.getText('t').insert(0, 'two')
    await vi.waitFor(() => {
      expect(b1.doc.getText('t').toString()).toBe('one')
      expect(b2.doc.getText('t').toString()).toBe('two')
    })
    expect(a1.doc.getText('t').toString()).toBe('one')
    expect(a2.doc.getText('t').toString()).toBe('two')
  })

  it('a malformed frame closes only that connection; the document and its other clients carry on', async () => {
    const docId = newDocId()
    const alice = join(docId)
    await synced(alice)
    let aliceDisconnected = 0
    alice.provider.on('status', ({ status }: { status: string }) => {
      if (status === 'disconnected') aliceDisconnected++
    })
    alice.doc.getText('t').insert(0, 'intact')
    const frames: Array<Uint8Array | string> = [
      'a text frame',
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
      new Uint8Array([MessageType.Sync, SyncType.Update, 50, 1, 2]),
      new Uint8Array([9]),
      encodeUpdate(new Uint8Array([1, 200, 3, 4, 5, 6, 7, 8, 9])),
      // An update that Yjs would keep waiting for a client's structs nobody has: 'x' after 999:5.
      encodeUpdate(waitingUpdate()),
    ]
    for (const frame of frames) {
      const raw = rawClient(`${server.url}/${docId}?token=${tokenFor(docId, 'edit')}`)
      await raw.opened
      raw.ws.send(frame)
      expect(await raw.closed).toEqual({ code: Close.BadMessage.code, reason: Close.BadMessage.reason })
    }
    alice.doc.getText('t').insert(6, '!')
    const bob = join(docId)
    await synced(bob)
    await vi.waitFor(() => expect(bob.doc.getText('t').toString()).toBe('intact!'))
    expect(aliceDisconnected).toBe(0)
  })

  it('tells a client "synced" only after it has been sent the stored document', async () => {
    const docId = newDocId()
    const alice = join(docId)
    await synced(alice)
    alice.doc.getText('t').insert(0, 'x'.repeat(5000))
    await vi.waitFor(() => expect(server.store.storedBytes(docId)).toBeGreaterThan(5000))
    alice.destroy()
    // Wait for the unload (100 ms after the last client left) so the next join loads from disk.
    await vi.waitFor(() => expect(server.rooms.loadedCount).toBe(0))
    const bob = join(docId)
    await synced(bob)
    expect(bob.doc.getText('t').length).toBe(5000)
  })

  it('the server greets a joiner with sync step 1 and answers its step 1 with step 2', async () => {
    const docId = newDocId()
    const raw = rawClient(`${server.url}/${docId}?token=${tokenFor(docId, 'edit')}`)
    await raw.opened
    await vi.waitFor(() => expect(raw.messages.length).toBeGreaterThanOrEqual(1))
    expect(decodeClientMessage(raw.messages[0]).kind).toBe('sync-step1')
    raw.ws.close()
  })
})

/** One item of a new client, whose left neighbour is a struct of client 999 that no one has. */
function waitingUpdate(): Uint8Array {
  const source = new Y.Doc()
  const absent = new Y.Doc()
  absent.clientID = 999
  absent.getText('t').insert(0, 'unseen')
  Y.applyUpdate(source, Y.encodeStateAsUpdate(absent))
  let update: Uint8Array | undefined
  source.once('update', (u: Uint8Array) => (update = u))
  source.getText('t').insert(6, 'x')
  return update!
}
