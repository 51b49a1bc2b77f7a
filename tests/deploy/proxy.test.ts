import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { WebSocket } from 'ws'
import type { DocLinks } from '../../lib/links'
import { type Actor, UI_TIMEOUT_MS } from '../e2e/actors'
import { stage } from '../e2e/stage'
import { type AppStack, startAppStack } from './app-stack'
import { freePort, runTool, send } from './processes'
import { type ProxyUnderTest, type RunningProxy, type RunningTlsProxy, caddy, nginx } from './proxies'

/**
 * The shipped reverse-proxy configurations (deploy/), each run by the real proxy in front of
 * the built app: one origin for the pages and the WebSocket, as on a VPS.
 */
const until = { timeout: UI_TIMEOUT_MS }

const { enter } = stage()

/** Every WebSocket URL the actor's page opens from now on. */
function socketsOf(actor: Actor): string[] {
  const urls: string[] = []
  actor.page.on('websocket', (socket) => urls.push(socket.url()))
  return urls
}

async function requireInstalled(command: string): Promise<void> {
  try {
    await runTool('sh', ['-c', `command -v ${command}`])
  } catch {
    throw new Error(`${command} is not installed: apt-get install -y nginx caddy (.ci/run does)`)
  }
}

/** The first frame the server sends on a new socket, or a rejection with the close code. */
function firstFrame(socket: WebSocket, timeoutMs = 10_000): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no frame within ${timeoutMs} ms`)), timeoutMs)
    socket.once('message', (data: Buffer) => {
      clearTimeout(timer)
      resolve(new Uint8Array(data))
    })
    socket.once('close', (code, reason) => {
      clearTimeout(timer)
      reject(new Error(`closed with ${code} ${reason.toString()}`))
    })
    socket.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
}

describe.each<ProxyUnderTest>([nginx, caddy])('$name in front of cowrite', (proxy) => {
  beforeAll(() => requireInstalled(proxy.name))

  test('accepts the shipped configuration', async () => {
    const output = await proxy.validateShipped()
    expect(output).toMatch(proxy.name === 'nginx' ? /test is successful/ : /Valid configuration/)
  })

  describe('serving the app and the sync server on one origin', () => {
    let app: AppStack | undefined
    let plain: RunningProxy | undefined
    let tls: RunningTlsProxy | undefined
    let origin: string

    // One app, configured for the plain-HTTP proxy's origin (the browsers' origin), and the
    // same proxy a second time with the shipped TLS setup in front of it.
    beforeAll(async () => {
      const port = await freePort()
      origin = `http://127.0.0.1:${port}`
      app = await startAppStack(origin)
      plain = await proxy.startPlainHttp(port, app)
      tls = await proxy.startTls({ httpPort: await freePort(), httpsPort: await freePort() }, app)
    })

    afterAll(async () => {
      await Promise.all([plain?.stop(), tls?.stop()])
      await app?.stop()
    })

    test('two people edit one document through it, WebSocket included', async () => {
      const alice = await enter('Alice')
      const bob = await enter('Bob')
      const aliceSockets = socketsOf(alice)
      const bobSockets = socketsOf(bob)

      await alice.page.goto(`${origin}/`)
      await alice.page.getByRole('button', { name: 'New document' }).click()
      await alice.page.waitForURL(/\/d\/[A-Za-z0-9_-]{22}\?t=/)
      await alice.connection.filter({ hasText: 'Connected' }).waitFor()
      const editUrl = alice.page.url()
      const docId = new URL(editUrl).pathname.split('/').at(-1)
      expect(new URL(editUrl).origin).toBe(origin)

      await bob.open(editUrl)
      await alice.typeAtEnd('Hello from Alice.')
      await expect.poll(() => bob.text(), until).toContain('Hello from Alice.')
      await bob.typeAtEnd(' And hello from Bob.')
      await expect.poll(() => alice.text(), until).toContain('Hello from Alice. And hello from Bob.')

      // Their documents synced over sockets on the proxy's origin, not on the sync server's port.
      for (const sockets of [aliceSockets, bobSockets]) {
        expect(sockets.length).toBeGreaterThan(0)
        for (const url of sockets) expect(url.startsWith(`${origin.replace('http', 'ws')}/sync/${docId}?`)).toBe(true)
      }
    })

    test('keeps the sync server’s metrics and admin interface private', async () => {
      const direct = await fetch(`http://127.0.0.1:${app!.syncPort}/metrics`)
      expect(await direct.text()).toContain('# HELP')

      for (const path of ['/metrics', '/sync/metrics', '/healthz', '/admin/docs/x', '/sync/admin/docs/x']) {
        const response = await fetch(`${origin}${path}`, { signal: AbortSignal.timeout(10_000) })
        expect(response.status, path).toBe(404)
        expect(await response.text(), path).not.toContain('# HELP')
      }
    })

    test('refuses a request body over 1 MB', async () => {
      const response = await fetch(`${origin}/api/docs`, {
        method: 'POST',
        body: new Uint8Array(2 * 1024 * 1024),
        signal: AbortSignal.timeout(10_000),
      })
      // Without the limit the app answers 201. Caddy 2.6 (Debian 12's) streams the body upstream
      // and answers 502 when the limit cuts it off; nginx checks the length first.
      expect(proxy.name === 'caddy' ? [413, 502] : [413]).toContain(response.status)
    })

    test('with TLS: redirects http to https, and serves the app and the WebSocket over https', async () => {
      const redirect = await send(`${tls!.httpUrl}/d/x?y=1`)
      expect([301, 308]).toContain(redirect.status)
      expect(redirect.headers.location).toMatch(/^https:\/\/127\.0\.0\.1(:\d+)?\/d\/x\?y=1$/)
      // nginx leaves certificates to certbot, whose renewal challenges must be answered on http,
      // not redirected (Caddy answers its own).
      if (tls!.challenge) {
        const answer = await send(`${tls!.httpUrl}${tls!.challenge.path}`)
        expect(answer.status).toBe(200)
        expect(answer.body).toBe(tls!.challenge.content)
      }

      expect((await send(`${tls!.httpsUrl}/`)).status).toBe(200)
      const created = await send(`${tls!.httpsUrl}/api/docs`, { method: 'POST' })
      expect(created.status).toBe(201)
      const links = JSON.parse(created.body) as DocLinks

      const token = encodeURIComponent(links.sync.editToken)
      const socket = new WebSocket(`${tls!.httpsUrl.replace('https', 'wss')}/sync/${links.id}?token=${token}`, {
        rejectUnauthorized: false,
        headers: { Origin: origin },
      })
      try {
        // The server opens with y-websocket sync step 1 (message type 0).
        expect((await firstFrame(socket))[0]).toBe(0)
      } finally {
        socket.terminate()
      }
    })
  })
})
