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
