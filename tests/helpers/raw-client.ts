import { WebSocket } from 'ws'

export type RawClient = {
  ws: WebSocket
  messages: Uint8Array[]
  opened: Promise<void>
  closed: Promise<{ code: number; reason: string }>
}

/** A bare `ws` client that records every frame it receives, to try what the stock client never sends. */
export function rawClient(url: string): RawClient {
  const ws = new WebSocket(url)
  const messages: Uint8Array[] = []
  ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)))
  ws.on('error', () => {})
  const opened = new Promise<void>((resolve) => ws.once('open', () => resolve()))
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  return { ws, messages, opened, closed }
}
