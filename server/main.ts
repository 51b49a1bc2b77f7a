import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { trustedProxies } from '../lib/client-address'
import { Close } from '../lib/close-codes'
import { ConfigError, type Config, parseConfig } from '../lib/config'
import { resolveSecret } from '../lib/secret'
import { createAuthorizer } from './auth'
import { createHttpRoutes } from './http-routes'
import { AddressLimits } from './limits'
import { type Logger, createLogger } from './logger'
import { MemoryRelease } from './memory-release'
import { createMetrics } from './metrics'
import { Rooms } from './rooms'
import type { DocStore } from './store/doc-store'
import { LevelDocStore } from './store/level-store'
import { Transport } from './transport'

export type SyncServer = {
  port: number
  rooms: Rooms
  store: DocStore
  /** Stops accepting, closes every socket with 1012 (reconnect), writes every document, closes the store. */
  stop(): Promise<void>
}

/** While a stop waits for a failing store, it says so this often. */
const STOP_REMINDER_MS = 5_000

/** The composition root: builds store, rooms and transport from config and wires them. */
export async function startSyncServer(
  config: Config,
  options: { log: Logger; store?: DocStore; secret?: string },
): Promise<SyncServer> {
  const { log } = options
  const secret = options.secret ?? resolveSecret(config)
  const metrics = createMetrics()
  const store =
    options.store ??
    (await LevelDocStore.open(join(config.dataDir, 'store'), log, {
      onBatch(ops, seconds) {
        metrics.storeBatchOps.observe(ops)
        metrics.storeWriteSeconds.observe(seconds)
      },
    }))
  const memoryRelease = new MemoryRelease({ log, loaded: () => rooms.loadedCount })
  const rooms: Rooms = new Rooms({ store, log, metrics, unloadDelayMs: config.unloadDelayMs, onUnloaded: memoryRelease.noteUnload })
  const transport: Transport = new Transport({
    host: config.host,
    port: config.syncPort,
    maxMessageBytes: config.maxMessageBytes,
    maxBufferedBytes: config.maxBufferedBytes,
    authorize: createAuthorizer({ secret, store }),
    limits: new AddressLimits({ maxConnections: config.maxConnectionsPerAddress, messagesPerSecond: config.maxMessagesPerSecond }),
    allowedOrigins: config.allowedOrigins,
    rooms,
    log,
    metrics,
    http: createHttpRoutes({ secret, store, rooms, metrics, isReady: () => transport.accepting }),
    pingIntervalMs: config.pingIntervalMs,
    isTrustedProxy: trustedProxies(config.trustedProxies),
  })
  const port = await transport.listen()
  log.info({ host: config.host, port }, 'server.listening')

  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      transport.stopAccepting()
      memoryRelease.stop()
      // Stopping waits until every document is written. While the store's writes fail, that is
      // said now and every few seconds, instead of a stop that hangs without a word.
      const documents = rooms.loadedCount
      const sayWhy = () => {
        if (!store.healthy) {
          log.warn({ documents, why: 'store writes fail and are retried; a second SIGTERM or Ctrl-C exits without them' }, 'server.stop.waiting')
        }
      }
      const reminder = setInterval(sayWhy, STOP_REMINDER_MS)
      try {
        const written = rooms.shutdown(Close.Restarting).then(() => store.close())
        sayWhy()
        await written
      } finally {
        clearInterval(reminder)
      }
      await transport.close()
      log.info('server.stopped')
    })())
  return { port, rooms, store, stop }
}

async function main(): Promise<void> {
  let config: Config
  try {
    config = parseConfig(process.env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(`cowrite sync server: ${error.message}`)
    process.exit(2)
  }
  const log = createLogger(config.logLevel)
  let server: SyncServer
  try {
    server = await startSyncServer(config, { log })
  } catch (error) {
    log.fatal({ err: error }, 'server.start.failed')
    console.error(`cowrite sync server could not start: ${(error as Error).message}`)
    process.exit(1)
  }
  // Ctrl-C and service managers signal the whole process group, and the launcher forwards the
  // signal too: a repeat within a second is the same request. A later one forces the exit.
  let firstSignalAt = 0
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstSignalAt) {
      if (Date.now() - firstSignalAt < 1000) return
      log.warn({ signal }, 'server.stop.forced')
      process.exit(1)
    }
    firstSignalAt = Date.now()
    log.info({ signal }, 'server.stopping')
    server.stop().then(
      () => process.exit(0),
      (error) => {
        log.fatal({ err: error }, 'server.stop.failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main()
