/**
 * Per-client request budgets: a token bucket per key that refills `perMinute` tokens a minute
 * and holds at most `perMinute` (so a client may spend a minute's budget at once, then waits).
 * A bucket that has refilled completely is forgotten, so memory follows recent clients only.
 */
export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number }

type Bucket = { tokens: number; at: number }

const SWEEP_THRESHOLD = 10_000

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>()
  readonly #perMinute: number
  readonly #now: () => number
  #sweepAt = SWEEP_THRESHOLD

  /** `perMinute` 0 turns the limit off. `now` is in milliseconds (monotonic by default). */
  constructor(perMinute: number, now: () => number = () => performance.now()) {
    this.#perMinute = perMinute
    this.#now = now
  }

  take(key: string): RateVerdict {
    if (this.#perMinute <= 0) return { ok: true }
    const now = this.#now()
    const tokens = this.#tokens(this.#buckets.get(key), now)
    if (tokens < 1) {
      this.#buckets.set(key, { tokens, at: now })
      const perSecond = this.#perMinute / 60
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perSecond)) }
    }
    this.#buckets.set(key, { tokens: tokens - 1, at: now })
    if (this.#buckets.size >= this.#sweepAt) this.#sweep(now)
    return { ok: true }
  }

  #tokens(bucket: Bucket | undefined, now: number): number {
    if (!bucket) return this.#perMinute
    return Math.min(this.#perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * this.#perMinute)
  }

  #sweep(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (this.#tokens(bucket, now) >= this.#perMinute) this.#buckets.delete(key)
    }
    this.#sweepAt = Math.max(SWEEP_THRESHOLD, 2 * this.#buckets.size)
  }
}
