import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer } from 'ws'
import { type TrustedProxy, clientAddress } from '../lib/client-address'
import { Close } from '../lib/close-codes'
import type { Authorize } from './auth'
import type { Connection } from './connection'
import type { AddressLimits } from './limits'
import { type Logger, createIncidentLog } from './logger'
import type { Metrics } from './metrics'
import type { Rooms } from './rooms'

export type TransportOptions = {
  host: string
  port: number
  maxMessageBytes: number
  maxBufferedBytes: number
  authorize: Authorize
  limits: AddressLimits
  /** Browser origins allowed to open a socket; requests without an Origin (non-browser clients) pass. */
  allowedOrigins: readonly string[]
  rooms: Rooms
  log: Logger
  metrics: Metrics
  /** Handles plain HTTP requests (health, metrics, admin); returns false for unknown paths. */
  http: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>
  /** How long a connection may be silent before it is pinged. */
  pingIntervalMs: number
  /** Peers whose X-Forwarded-For names the client (lib/client-address.ts). */
  isTrustedProxy: TrustedProxy
}

/**
 * A connection silent for PING_INTERVAL_MS is pinged; one that then stays silent (no pong, no
 * message) for another interval is dropped. Connections are pinged in PING_SLOTS groups, one
 * group per interval / PING_SLOTS, so ten thousand sockets are not pinged in one stall.
 */
const PING_SLOTS = 10

type Admission = Exclude<Awaited<ReturnType<Authorize>>, { ok: true }> | (Extract<Awaited<ReturnType<Authorize>>, { ok: true }> & { address: string })

/** HTTP and WebSocket upgrade, ping/pong and backpressure. Knows nothing of the protocol. */
export class Transport {
  readonly #opts: TransportOptions
  readonly #server: Server
  readonly #wss: WebSocketServer
  #pingSlot = 0
  #nextConnId = 1
  #pinger: NodeJS.Timeout | undefined
  #accepting = true
  readonly #incident: ReturnType<typeof createIncidentLog>

  constructor(options: TransportOptions) {
    this.#opts = options
    this.#incident = createIncidentLog(options.log)
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes, perMessageDeflate: false })
    this.#server = createServer((req, res) => void this.#onRequest(req, res))
    this.#server.on('upgrade', (req, socket, head) => {
      // A shared listener: a closure here would keep this request (headers, URL, token) alive as long as the socket.
      socket.on('error', destroySocket)
      if (!this.#accepting) {
        socket.destroy()
        return
      }
      void this.#admit(req).then((verdict) => {
        // An admitted address has its slot counted, given back when the socket closes: as a peer,
        // or refused by `ws` after the admission (a bad version or key header).
        if (verdict.ok) {
          if (socket.destroyed) {
            // Gone while it was being admitted.
            options.limits.disconnect(verdict.address)
            return
          }
          ;(socket as HeldSocket)[SLOT] = { address: verdict.address, limits: options.limits }
          socket.once('close', releaseSlot)
        }
        // The upgrade's response and what join sends at once (the greeting) leave in one write.
        socket.cork()
        this.#wss.handleUpgrade(req, socket, head, (ws) => {
          // Refusals complete the upgrade and close at once, so a browser can read the code; no data is sent first.
          if (!verdict.ok) {
            options.metrics.rejected.inc({ reason: verdict.close.reason })
            ws.close(verdict.close.code, verdict.close.reason)
            return
          }
          this.#accept(ws, verdict.address, verdict.docId, verdict.role, verdict.generation)
        })
        socket.uncork()
      }).catch((error: unknown) => {
        // Joining threw: that one socket goes (a joined peer leaves through its close handler).
        this.#admissionFailed(error, 'connection.accept.failed')
        socket.destroy()
      })
    })
  }

  get accepting(): boolean {
    return this.#accepting
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject)
      this.#server.listen(this.#opts.port, this.#opts.host, resolve)
    })
    this.#pinger = setInterval(() => this.#ping(), this.#opts.pingIntervalMs / PING_SLOTS)
    this.#pinger.unref()
    return (this.#server.address() as AddressInfo).port
  }

  /** Stops accepting connections; existing sockets stay open until the rooms close them. */
  stopAccepting(): void {
    this.#accepting = false
    clearInterval(this.#pinger)
  }

  async close(): Promise<void> {
    this.stopAccepting()
    for (const ws of this.#wss.clients) ws.terminate()
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  /** Never rejects: whatever goes wrong refuses this one connection (Internal), logged, rate-limited. */
  async #admit(req: IncomingMessage): Promise<Admission> {
    try {
      return await this.#decide(req)
    } catch (error) {
      this.#admissionFailed(error, 'connection.admit.failed')
      return { ok: false, close: Close.Internal }
    }
  }

  /** Counted, and logged rate-limited by its name and message only (never a request's URL and token). */
  #admissionFailed(error: unknown, event: string): void {
    this.#opts.metrics.errors.inc({ kind: 'admission' })
    this.#incident({ reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }, event)
  }

  async #decide(req: IncomingMessage): Promise<Admission> {
    const origin = req.headers.origin
    if (origin !== undefined && !this.#opts.allowedOrigins.includes(origin)) return { ok: false, close: Close.ForbiddenOrigin }
    const verdict = await this.#opts.authorize(req)
    if (!verdict.ok) return verdict
    const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], this.#opts.isTrustedProxy)
    if (!this.#opts.limits.connect(address)) return { ok: false, close: Close.RateLimited }
    return { ...verdict, address }
  }

  #accept(ws: WebSocket, address: string, docId: string, role: Connection['role'], generation: number): void {
    const peer = new Peer(ws, this.#opts, this.#nextConnId++, docId, role, generation, address)
    this.#opts.metrics.connections.inc()
    ws.on('pong', onPong)
    ws.on('message', onMessage)
    ws.on('error', onError)
    ws.on('close', onClose)
    this.#opts.rooms.join(peer)
  }

  /** One slot's round: a socket heard from since its last round is left alone; a silent one is pinged, then dropped. */
  #ping(): void {
    const slot = this.#pingSlot
    this.#pingSlot = (slot + 1) % PING_SLOTS
    for (const ws of this.#wss.clients) {
      // Refused upgrades are among ws's clients until they close, without a peer.
      const peer = (ws as Partial<PeerSocket>)[PEER]
      if (!peer || peer.id % PING_SLOTS !== slot) continue
      if (peer.heard) {
        peer.heard = false
        peer.pinged = false
      } else if (peer.pinged) {
        this.#opts.metrics.errors.inc({ kind: 'dead-peer' })
        peer.ws.terminate()
      } else {
        peer.pinged = true
        peer.ws.ping()
      }
    }
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (!(await this.#opts.http(req, res))) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
      }
    } catch (error) {
      this.#opts.log.error({ err: error, path: req.url?.split('?')[0] }, 'http.failed')
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
      res.end('internal error\n')
    }
  }
}

const SLOT = Symbol('slot')
/** An admitted socket, with the per-address slot it was counted in. */
type HeldSocket = Duplex & { [SLOT]: { address: string; limits: AddressLimits } }

/** Shared, like destroySocket: a closure in the upgrade handler would keep the request alive as long as the socket. */
function releaseSlot(this: HeldSocket): void {
  this[SLOT].limits.disconnect(this[SLOT].address)
}

function destroySocket(this: Duplex): void {
  this.destroy()
}

const PEER = Symbol('peer')
type PeerSocket = WebSocket & { [PEER]: Peer }

/**
 * A connection as the rooms see it, over one `ws` socket. A class, and the socket's listeners
 * shared functions, so that ten thousand idle connections hold no closures of their own.
 */
class Peer implements Connection {
  awarenessIds: Set<number> | null = null
  /** Something arrived since the pinger's last round (a message or a pong). */
  heard = true
  /** Pinged by the last round, and not heard from since. */
  pinged = false

  constructor(
    readonly ws: WebSocket,
    readonly opts: TransportOptions,
    readonly id: number,
    readonly docId: string,
    readonly role: Connection['role'],
    readonly generation: number,
    readonly address: string,
  ) {
    ;(ws as PeerSocket)[PEER] = this
  }

  send(message: Uint8Array): void {
    const { ws, opts } = this
    if (ws.readyState !== WebSocket.OPEN) return
    // A client that stops reading must not make the server queue without limit.
    if (ws.bufferedAmount + message.byteLength > opts.maxBufferedBytes) {
      opts.metrics.errors.inc({ kind: 'too-slow' })
      opts.log.warn({ connId: this.id, docId: this.docId, buffered: ws.bufferedAmount }, 'connection.too-slow')
      ws.terminate()
      return
    }
    opts.metrics.sent.messages++
    opts.metrics.sent.bytes += message.byteLength
    ws.send(message)
  }

  close(why: { code: number; reason: string }): void {
    const { ws } = this
    if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(why.code, why.reason)
  }
}

function onPong(this: WebSocket): void {
  ;(this as PeerSocket)[PEER].heard = true
}

function onMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
  const peer = (this as PeerSocket)[PEER]
  const { metrics, limits, rooms } = peer.opts
  peer.heard = true
  metrics.received.bytes += data.byteLength
  if (!limits.message(peer.address)) {
    metrics.rejected.inc({ reason: Close.RateLimited.reason })
    peer.close(Close.RateLimited)
    return
  }
  if (!isBinary) {
    metrics.errors.inc({ kind: 'message-text' })
    peer.close(Close.BadMessage)
    return
  }
  rooms.receive(peer, data)
}

function onClose(this: WebSocket): void {
  const peer = (this as PeerSocket)[PEER]
  const { metrics, rooms } = peer.opts
  metrics.connections.dec()
  rooms.leave(peer)
}

function onError(this: WebSocket, error: Error): void {
  const peer = (this as PeerSocket)[PEER]
  peer.opts.log.debug({ connId: peer.id, err: error.message }, 'connection.error')
}
