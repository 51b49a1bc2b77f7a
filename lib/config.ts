import { z } from 'zod'
import { parseProxyEntry } from './client-address'

/**
 * Configuration of both processes, parsed once from the environment into a frozen object.
 * Every bad value is reported at once, naming the variable (ConfigError).
 */
const port = z.coerce.number().int().min(0).max(65535)
const positiveInt = z.coerce.number().int().positive()
const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol)
    } catch {
      return false
    }
  }, `must be a URL starting with ${protocols.join(' or ')}//`)

const schema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  SYNC_PORT: port.default(1234),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_URL: url(['http:', 'https:']).optional(),
  SYNC_URL: url(['ws:', 'wss:']).optional(),
  SYNC_INTERNAL_URL: url(['http:', 'https:']).optional(),
  SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  UNLOAD_DELAY_MS: z.coerce.number().int().min(0).default(30_000),
  MAX_MESSAGE_BYTES: positiveInt.default(8 * 1024 * 1024),
  MAX_BUFFERED_BYTES: positiveInt.default(16 * 1024 * 1024),
  MAX_CONNECTIONS_PER_ADDRESS: positiveInt.default(200),
  MAX_MESSAGES_PER_SECOND: positiveInt.default(2000),
  ALLOWED_ORIGINS: z.string().default(''),
  PING_INTERVAL_MS: z.coerce.number().int().min(100, 'must be at least 100').default(30_000),
  CREATE_RATE_LIMIT: z.coerce.number().int().min(0).default(30),
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .refine((value) => list(value).every((entry) => parseProxyEntry(entry) !== null), 'must be IP addresses or subnets (address/prefix), comma-separated'),
})

export type Config = Readonly<{
  host: string
  port: number
  syncPort: number
  dataDir: string
  publicUrl: string
  syncUrl: string
  /** Where local processes (web app, CLI) reach the sync server's HTTP interface. */
  syncInternalUrl: string
  /** Undefined until resolved from DATA_DIR (lib/secret.ts). */
  secret: string | undefined
  logLevel: z.infer<typeof schema>['LOG_LEVEL']
  unloadDelayMs: number
  maxMessageBytes: number
  maxBufferedBytes: number
  maxConnectionsPerAddress: number
  /** Per address; bursts of twice this are allowed. */
  maxMessagesPerSecond: number
  /** Origins allowed to open a WebSocket: PUBLIC_URL's plus ALLOWED_ORIGINS (comma-separated). */
  allowedOrigins: readonly string[]
  /** A connection silent this long is pinged, and dropped when it stays silent as long again. */
  pingIntervalMs: number
  /** Documents one client address may create per minute through `POST /api/docs`; 0 turns the limit off. */
  createRateLimit: number
  /** Peers besides loopback whose X-Forwarded-For the sync server believes: addresses or address/prefix. */
  trustedProxies: readonly string[]
}>

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings count as unset, as they do in most env files.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const result = schema.safeParse(present)
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`))
  }
  const e = result.data
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '')
  const origin = new URL(publicUrl)
  const syncUrl = (e.SYNC_URL ?? defaultSyncUrl(origin, e.SYNC_PORT)).replace(/\/+$/, '')
  const extraOrigins = list(e.ALLOWED_ORIGINS)
  const loopback = e.HOST === '0.0.0.0' || e.HOST === '::' ? '127.0.0.1' : e.HOST
  return Object.freeze({
    host: e.HOST,
    port: e.PORT,
    syncPort: e.SYNC_PORT,
    dataDir: e.DATA_DIR,
    publicUrl,
    syncUrl,
    syncInternalUrl: (e.SYNC_INTERNAL_URL ?? `http://${loopback.includes(':') ? `[${loopback}]` : loopback}:${e.SYNC_PORT}`).replace(/\/+$/, ''),
    secret: e.SECRET,
    logLevel: e.LOG_LEVEL,
    unloadDelayMs: e.UNLOAD_DELAY_MS,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    maxBufferedBytes: e.MAX_BUFFERED_BYTES,
    maxConnectionsPerAddress: e.MAX_CONNECTIONS_PER_ADDRESS,
    maxMessagesPerSecond: e.MAX_MESSAGES_PER_SECOND,
    allowedOrigins: Object.freeze([origin.origin, ...extraOrigins]),
    pingIntervalMs: e.PING_INTERVAL_MS,
    createRateLimit: e.CREATE_RATE_LIMIT,
    trustedProxies: Object.freeze(list(e.TRUSTED_PROXIES)),
  })
}

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean)
}

/** Behind TLS the proxy serves the sync server on the app's own origin under /sync; in plain HTTP, on SYNC_PORT. */
function defaultSyncUrl(publicUrl: URL, syncPort: number): string {
  if (publicUrl.protocol === 'https:') return `wss://${publicUrl.host}/sync`
  return `ws://${publicUrl.hostname.includes(':') ? `[${publicUrl.hostname}]` : publicUrl.hostname}:${syncPort}`
}
