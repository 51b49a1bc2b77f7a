import type { Page, WebSocketRoute } from 'playwright-core'
import { MessageType } from '../../lib/protocol-messages'

/**
 * A page's connection to the sync server, passed through the test: it can be cut (as a network
 * drop would: the page is told the socket closed, and every new one fails until restored) while
 * the web app itself stays reachable, and the server's "saved" acknowledgements can be held back.
 * Install before the page opens its document; it stays for reloads.
 */
export class SyncLine {
  private readonly sockets = new Set<WebSocketRoute>()
  private cutOff = false
  private holding = false
  private readonly held: Array<() => void> = []

  static async install(page: Page, syncUrl: string): Promise<SyncLine> {
    const line = new SyncLine()
    await page.routeWebSocket(
      (url) => url.href.startsWith(syncUrl),
      (socket) => line.route(socket),
    )
    return line
  }

  /** Drops the open socket and refuses new ones. */
  async cut(): Promise<void> {
    this.cutOff = true
    const open = [...this.sockets]
    this.sockets.clear()
    await Promise.all(open.map((socket) => socket.close({ code: 1001, reason: 'network down' })))
  }

  /** The page's next retry (y-websocket backs off up to 2.5 s) gets through. */
  restore(): void {
    this.cutOff = false
  }

  holdAcknowledgements(): void {
    this.holding = true
  }

  releaseAcknowledgements(): void {
    this.holding = false
    for (const send of this.held.splice(0)) send()
  }

  private route(socket: WebSocketRoute): void {
    if (this.cutOff) {
      void socket.close({ code: 1001, reason: 'network down' })
      return
    }
    this.sockets.add(socket)
    const server = socket.connectToServer()
    socket.onMessage((message) => server.send(message))
    server.onMessage((message) => {
      const first = typeof message === 'string' ? message.charCodeAt(0) : message[0]
      if (this.holding && first === MessageType.Saved) this.held.push(() => socket.send(message))
      else socket.send(message)
    })
  }
}
