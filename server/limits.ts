import { BlockList, isIP } from 'node:net'

/**
 * Per-address caps: open connections, and messages per second (a token bucket that allows
 * bursts of two seconds' worth). Addresses with no connections are forgotten.
 */
type Bucket = { connections: number; tokens: number; refilledAt: number }

export class AddressLimits {
  readonly #buckets = new Map<string, Bucket>()
  readonly #maxConnections: number
  readonly #perSecond: number

  constructor(options: { maxConnections: number; messagesPerSecond: number }) {
    this.#maxConnections = options.maxConnections
    this.#perSecond = options.messagesPerSecond
  }

  /** Counts a new connection, or returns false when the address is at its cap. */
  connect(address: string): boolean {
    let bucket = this.#buckets.get(address)
    if (!bucket) {
      bucket = { connections: 0, tokens: 2 * this.#perSecond, refilledAt: performance.now() }
      this.#buckets.set(address, bucket)
    }
    if (bucket.connections >= this.#maxConnections) return false
    bucket.connections++
    return true
  }

  disconnect(address: string): void {
    const bucket = this.#buckets.get(address)
    if (bucket && --bucket.connections <= 0) this.#buckets.delete(address)
  }

  /** Takes one message from the address's budget; false once it is spent. */
  message(address: string): boolean {
    const bucket = this.#buckets.get(address)
    if (!bucket) return true
    if (bucket.tokens < 1) {
      const now = performance.now()
      bucket.tokens = Math.min(2 * this.#perSecond, bucket.tokens + ((now - bucket.refilledAt) / 1000) * this.#perSecond)
      bucket.refilledAt = now
      if (bucket.tokens < 1) return false
    }
    bucket.tokens--
    return true
  }
}

const LOOPBACK = /^(127\.|::1$)/

/**
 * Which peers' X-Forwarded-For the server believes: loopback (a reverse proxy on this machine)
 * and the TRUSTED_PROXIES entries (addresses, or address/prefix subnets; a proxy in another
 * container, say).
 */
export function trustedProxies(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList()
  for (const entry of entries) {
    const [address, prefix] = entry.split('/')
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4'
    if (prefix === undefined) list.addAddress(address, type)
    else list.addSubnet(address, Number(prefix), type)
  }
  return (address) => {
    const plain = unmapped(address)
    const family = isIP(plain)
    return family !== 0 && (LOOPBACK.test(plain) || list.check(plain, family === 6 ? 'ipv6' : 'ipv4'))
  }
}

/**
 * The client's address. A connection from a trusted proxy is counted as the address the proxy
 * saw: X-Forwarded-For read from the right, each trusted proxy's entry skipped, the first other
 * one is the client (entries further left are whatever the client sent, and are not believed).
 */
export function clientAddress(
  remoteAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  isTrusted: (address: string) => boolean,
): string {
  let address = unmapped(remoteAddress ?? 'unknown')
  if (!isTrusted(address) || typeof forwardedFor !== 'string') return address
  const hops = forwardedFor.split(',').map((hop) => hop.trim()).filter(Boolean)
  for (let i = hops.length - 1; i >= 0; i--) {
    address = unmapped(hops[i])
    if (!isTrusted(address)) break
  }
  return address
}

/** An IPv4 address as a dual-stack socket reports it (`::ffff:10.0.0.7`) in its plain form. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address
}
