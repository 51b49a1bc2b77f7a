import { describe, expect, it } from 'vitest'
import { clientAddress, forwardedClient, trustedProxies } from '../../lib/client-address'

describe('the client address behind proxies', () => {
  const loopbackOnly = trustedProxies([])
  const compose = trustedProxies(['172.16.0.0/12', '2001:db8::/32', '192.0.2.10'])

  it('is the socket address when the peer is not a trusted proxy, whatever it forwards', () => {
    expect(clientAddress('203.0.113.5', '198.51.100.1', loopbackOnly)).toBe('203.0.113.5')
    expect(clientAddress('172.18.0.3', '198.51.100.1', loopbackOnly)).toBe('172.18.0.3')
    expect(clientAddress('::ffff:203.0.113.5', undefined, loopbackOnly)).toBe('203.0.113.5')
  })

  it('is the last forwarded hop behind a proxy on loopback', () => {
    expect(clientAddress('127.0.0.1', '198.51.100.1', loopbackOnly)).toBe('198.51.100.1')
    expect(clientAddress('::1', 'forged, 198.51.100.1', loopbackOnly)).toBe('198.51.100.1')
    expect(clientAddress('::ffff:127.0.0.1', '198.51.100.1', loopbackOnly)).toBe('198.51.100.1')
    expect(clientAddress('127.0.0.1', undefined, loopbackOnly)).toBe('127.0.0.1')
  })

  it('believes TRUSTED_PROXIES entries, skipping every trusted hop from the right and no more', () => {
    expect(clientAddress('172.18.0.3', '198.51.100.1', compose)).toBe('198.51.100.1')
    expect(clientAddress('::ffff:172.18.0.3', '198.51.100.1', compose)).toBe('198.51.100.1')
    // A client that sends its own X-Forwarded-For cannot pick its address: only trusted hops are skipped.
    expect(clientAddress('172.18.0.3', '10.9.9.9, 198.51.100.1, 192.0.2.10', compose)).toBe('198.51.100.1')
    expect(clientAddress('2001:db8::7', '2001:db8::8, 2001:dead::1', compose)).toBe('2001:dead::1')
    expect(clientAddress('172.32.0.1', '198.51.100.1', compose)).toBe('172.32.0.1') // outside 172.16.0.0/12
    expect(clientAddress('192.0.2.11', '198.51.100.1', compose)).toBe('192.0.2.11')
  })
})

describe('the client address the web app reads from X-Forwarded-For', () => {
  const loopbackOnly = trustedProxies([])
  const behindCdn = trustedProxies(['192.0.2.0/24'])

  it('is the hop the nearest proxy appended, or the first untrusted hop left of trusted ones', () => {
    expect(forwardedClient('203.0.113.9', loopbackOnly)).toBe('203.0.113.9')
    expect(forwardedClient('10.0.0.1, 198.51.100.7', loopbackOnly)).toBe('198.51.100.7')
    expect(forwardedClient(' ::1 ', loopbackOnly)).toBe('::1')
    expect(forwardedClient('::ffff:198.51.100.7', loopbackOnly)).toBe('198.51.100.7')
    // Behind a CDN whose edge the proxy saw: the CDN's hop is skipped, the client's is not.
    expect(forwardedClient('forged, 198.51.100.7, 192.0.2.44', behindCdn)).toBe('198.51.100.7')
  })

  it('names nobody when the header is missing or empty', () => {
    expect(forwardedClient(null, loopbackOnly)).toBeUndefined()
    expect(forwardedClient(' , ', loopbackOnly)).toBeUndefined()
  })
})
