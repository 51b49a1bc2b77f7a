// Hocuspocus 4 as a user would run it: the stock server with the SQLite extension, default
// settings (stores are debounced 2 s, at most 10 s; documents unload when the last client leaves).
import { join } from 'node:path'
import { SQLite } from '@hocuspocus/extension-sqlite'
import { Server } from '@hocuspocus/server'

const server = new Server({
  address: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  quiet: true,
  extensions: [new SQLite({ database: join(process.env.DATA_DIR ?? '.', 'hocuspocus.sqlite') })],
})
await server.listen()
console.log(JSON.stringify({ msg: 'server.listening', port: server.address.port }))
