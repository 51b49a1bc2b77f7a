// The transport floor: a `ws` relay that does no Yjs work. It forwards every binary frame to
// the other sockets of the same room (the URL path) and answers a client's sync step 1 with
// an empty sync step 2, so stock clients consider themselves synced. It stores nothing.
import { createServer } from 'node:http'
import { WebSocketServer } from 'ws'

const host = process.env.HOST ?? '127.0.0.1'
const port = Number(process.env.PORT ?? 0)

// [messageSync, syncStep2, varUint8Array([0, 0])]: the step 2 of an empty document.
const EMPTY_STEP2 = Buffer.from([0, 1, 2, 0, 0])

/** @type {Map<string, Set<import('ws').WebSocket>>} */
const rooms = new Map()

const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' })
  res.end('relay')
})
const wss = new WebSocketServer({ server, perMessageDeflate: false })

wss.on('connection', (socket, req) => {
  const room = new URL(req.url ?? '/', 'http://relay').pathname
  let peers = rooms.get(room)
  if (!peers) rooms.set(room, (peers = new Set()))
  peers.add(socket)
  socket.on('message', (data, isBinary) => {
    if (!isBinary) return
    if (data.length >= 2 && data[0] === 0 && data[1] === 0) {
      socket.send(EMPTY_STEP2)
      return
    }
    for (const peer of peers) {
      if (peer !== socket && peer.readyState === peer.OPEN) peer.send(data)
    }
  })
  socket.on('close', () => {
    peers.delete(socket)
    if (peers.size === 0) rooms.delete(room)
  })
})

server.listen(port, host, () => {
  console.log(JSON.stringify({ msg: 'server.listening', port: server.address().port }))
})
process.on('SIGTERM', () => process.exit(0))
