import { describe, expect, it } from 'vitest'
import { RateLimiter } from '../../lib/rate-limit'

describe('RateLimiter', () => {
  it('allows a minute’s budget at once, then refills one request every 60/limit seconds', () => {
    let now = 0
    const limiter = new RateLimiter(30, () => now)
    for (let i = 0; i < 30; i++) expect(limiter.take('a')).toEqual({ ok: true })
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 2 })
    expect(limiter.take('b')).toEqual({ ok: true })
    now += 1_000
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 })
    now += 1_000
    expect(limiter.take('a')).toEqual({ ok: true })
    expect(limiter.take('a').ok).toBe(false)
  })

  it('is off at 0', () => {
    const limiter = new RateLimiter(0)
    for (let i = 0; i < 1_000; i++) expect(limiter.take('a').ok).toBe(true)
  })
})
