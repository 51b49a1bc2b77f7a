import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../lib/config'

describe('configuration', () => {
  it('has the defaults of PRODUCT.md', () => {
    const config = parseConfig({})
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      syncPort: 1234,
      dataDir: './data',
      publicUrl: 'http://localhost:3000',
      syncUrl: 'ws://localhost:1234',
      logLevel: 'info',
    })
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('derives the sync URL from PUBLIC_URL: same origin under /sync behind TLS', () => {
    expect(parseConfig({ PUBLIC_URL: 'https://docs.example.com' }).syncUrl).toBe('wss://docs.example.com/sync')
    expect(parseConfig({ PUBLIC_URL: 'http://example.test:8080', SYNC_PORT: '9000' }).syncUrl).toBe('ws://example.test:9000')
    expect(parseConfig({ SYNC_URL: 'wss://sync.example.com/' }).syncUrl).toBe('wss://sync.example.com')
  })

  it('reads TRUSTED_PROXIES as addresses and subnets, and names it when an entry is neither', () => {
    expect(parseConfig({}).trustedProxies).toEqual([])
    expect(parseConfig({ TRUSTED_PROXIES: '172.16.0.0/12, 10.1.2.3,fd00::/8' }).trustedProxies).toEqual(['172.16.0.0/12', '10.1.2.3', 'fd00::/8'])
    for (const bad of ['caddy', '10.0.0.0/33', '10.0.0.0/8/1', 'fd00::/129', '10.0.0.0/x']) {
      expect(() => parseConfig({ TRUSTED_PROXIES: bad })).toThrow(/^ {2}- TRUSTED_PROXIES: must be IP addresses or subnets/m)
    }
  })

  it('reports every bad value at once, naming each variable', () => {
    let error: unknown
    try {
      parseConfig({ PORT: 'eighty', SYNC_PORT: '70000', PUBLIC_URL: 'docs.example.com', LOG_LEVEL: 'loud', SECRET: 'short' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as Error).message
    for (const name of ['PORT', 'SYNC_PORT', 'PUBLIC_URL', 'LOG_LEVEL', 'SECRET']) expect(message).toMatch(new RegExp(`^  - ${name}:`, 'm'))
  })

  it('parses the limits, and rejects negative ones', () => {
    const config = parseConfig({ CREATE_RATE_LIMIT: '5', MAX_CONNECTIONS_PER_ADDRESS: '7', ALLOWED_ORIGINS: 'https://a.example, https://b.example' })
    expect(config).toMatchObject({ createRateLimit: 5, maxConnectionsPerAddress: 7 })
    expect(config.allowedOrigins).toEqual(['http://localhost:3000', 'https://a.example', 'https://b.example'])
    expect(() => parseConfig({ CREATE_RATE_LIMIT: '-1' })).toThrow(/CREATE_RATE_LIMIT/)
    expect(() => parseConfig({ MAX_MESSAGES_PER_SECOND: '0' })).toThrow(/MAX_MESSAGES_PER_SECOND/)
  })

  it('treats empty values as unset', () => {
    expect(parseConfig({ PORT: '', HOST: '' }).port).toBe(3000)
  })
})
