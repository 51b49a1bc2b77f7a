import { BlockList, isIP } from 'node:net'

/** Whether a (plain, not IPv4-mapped) address is a proxy whose X-Forwarded-For is believed. */
export type TrustedProxy = (address: string) => boolean

type ProxyEntry = { address: string; prefix: number | undefined; type: 'ipv4' | 'ipv6' }

const LOOPBACK = /^(127\.|::1$)/

/** A TRUSTED_PROXIES entry: an address, or address/prefix; null when it is neither. */
export function parseProxyEntry(entry: string): ProxyEntry | null {
  const [address, prefix, ...rest] = entry.split('/')
  const family = isIP(address)
  if (family === 0 || rest.length > 0) return null
  const type = family === 4 ? 'ipv4' : 'ipv6'
  if (prefix === undefined) return { address, prefix: undefined, type }
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128)) return null
  return { address, prefix: Number(prefix), type }
}

/**
 * Which peers' X-Forwarded-For is believed: loopback (a reverse proxy on this machine) and the
 * TRUSTED_PROXIES entries (a proxy in another container, say), validated by config.ts.
 */
export function trustedProxies(entries: readonly string[]): TrustedProxy {
  const list = new BlockList()
  for (const entry of entries) {
    const parsed = parseProxyEntry(entry)
    if (!parsed) throw new Error(`not an address or subnet: ${entry}`)
    if (parsed.prefix === undefined) list.addAddress(parsed.address, parsed.type)
    else list.addSubnet(parsed.address, parsed.prefix, parsed.type)
  }
  return (address) => {
    const family = isIP(address)
    return family !== 0 && (LOOPBACK.test(address) || list.check(address, family === 6 ? 'ipv6' : 'ipv4'))
  }
}

/**
 * The client's address as the sync server sees it. A connection from a trusted proxy is counted
 * as the address the proxy saw (forwardedClient); any other connection as its own address.
 */
export function clientAddress(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, isTrusted: TrustedProxy): string {
  const address = unmapped(remoteAddress ?? 'unknown')
  if (!isTrusted(address) || typeof forwardedFor !== 'string') return address
  return forwardedClient(forwardedFor, isTrusted) ?? address
}

/**
 * The client named by X-Forwarded-For: read from the right, each trusted proxy's entry skipped,
 * the first other one is the client (entries further left are whatever the client sent, and are
 * not believed). Undefined when the header names nobody.
 */
export function forwardedClient(forwardedFor: string | null, isTrusted: TrustedProxy): string | undefined {
  const hops = (forwardedFor ?? '').split(',').map((hop) => hop.trim()).filter(Boolean)
  let address: string | undefined
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
