// A lightweight protocol client: a raw `ws` socket that completes the sync handshake and
// then only sends pre-encoded frames and hands incoming ones to a callback. No Y.Doc, so
// thousands fit in one worker and the load generator stays cheap next to the server.
import WebSocket from 'ws'
import { createCodec } from './protocol.mjs'
import { now } from './clock.mjs'

export class LightClient {
  /**
   * @param {{ url: string, dialect: string, docName: string, token?: string, clientID: number,
   *           onFrame?: (client: LightClient, frame: { kind: string, payload: Uint8Array | null }, receivedAt: number) => void,
   *           keepStep2?: boolean }} options
   */
  constructor(options) {
    this.url = options.url
    this.clientID = options.clientID
    this.token = options.token ?? ''
    this.codec = createCodec(options.dialect, options.docName)
    this.onFrame = options.onFrame ?? null
    this.keepStep2 = options.keepStep2 ?? false
    /** The document state the server sent in answer to our step 1 (kept only with keepStep2). */
    this.step2 = null
    this.socket = null
    this.openedAt = 0
    this.syncedAt = 0
    this.closed = false
    this.closeCode = 0
    /** Callbacks waiting for the next sync step 2 (requestSync). */
    this.step2Waiters = []
  }

  /** Opens the socket and resolves once the server answered our sync step 1 (or rejects within `timeoutMs`). */
  open(timeoutMs = 30_000) {
    return new Promise((resolve, reject) => {
      this.openedAt = now()
      const socket = new WebSocket(this.url, { perMessageDeflate: false })
      this.socket = socket
      let settled = false
      const settle = (error) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        if (error) reject(error)
        else resolve(this)
      }
      const timer = setTimeout(() => settle(new Error(`not synced within ${timeoutMs} ms`)), timeoutMs)
      socket.binaryType = 'nodebuffer'
      socket.on('open', () => {
        for (const frame of this.codec.handshake(undefined, this.token)) socket.send(frame)
      })
      socket.on('message', (data, isBinary) => {
        if (!isBinary) return
        const receivedAt = now()
        const frame = this.codec.decode(data)
        switch (frame.kind) {
          case 'step1':
            socket.send(this.codec.emptyStep2)
            return
          case 'step2':
            if (this.syncedAt === 0) {
              this.syncedAt = receivedAt
              if (this.keepStep2) this.step2 = Uint8Array.from(frame.payload)
              settle()
            }
            for (const waiter of this.step2Waiters.splice(0)) waiter(true)
            this.onFrame?.(this, frame, receivedAt)
            return
          case 'denied':
            settle(new Error('permission denied'))
            return
          default:
            this.onFrame?.(this, frame, receivedAt)
        }
      })
      socket.on('error', (error) => settle(error))
      socket.on('close', (code) => {
        this.closed = true
        this.closeCode = code
        for (const waiter of this.step2Waiters.splice(0)) waiter(false)
        settle(new Error(`closed with ${code} before sync`))
      })
    })
  }

  /**
   * Sends a sync step 1 and resolves true on the server's step 2. A server handles one
   * connection's messages in order, so the answer means everything sent before was applied.
   * Resolves false if the socket closes or `timeoutMs` passes first.
   */
  requestSync(timeoutMs = 60_000) {
    if (this.closed) return Promise.resolve(false)
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.step2Waiters = this.step2Waiters.filter((w) => w !== waiter)
        resolve(false)
      }, timeoutMs)
      const waiter = (ok) => {
        clearTimeout(timer)
        resolve(ok)
      }
      this.step2Waiters.push(waiter)
      this.send(this.codec.handshake(undefined, this.token).at(-1))
    })
  }

  send(frame) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(frame)
  }

  get bufferedAmount() {
    return this.socket?.bufferedAmount ?? 0
  }

  /**
   * Closes the socket with a close handshake; resolves when it is closed, or after `timeoutMs`
   * (then it is terminated). `abrupt` drops the TCP connection at once, for bulk clean-up.
   */
  close(timeoutMs = 2_000, { abrupt = false } = {}) {
    const socket = this.socket
    if (!socket || socket.readyState === WebSocket.CLOSED) return Promise.resolve()
    if (abrupt) {
      socket.terminate()
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        socket.terminate()
        resolve()
      }, timeoutMs)
      socket.once('close', () => {
        clearTimeout(timer)
        resolve()
      })
      socket.close()
    })
  }
}
