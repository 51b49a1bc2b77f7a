/**
 * Milliseconds since the epoch with sub-millisecond resolution. Every process computes it
 * from its own start-time wall clock plus a monotonic clock, so timestamps taken in
 * different worker processes on this machine agree to well under a millisecond.
 */
export const now = () => performance.timeOrigin + performance.now()

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `check` every `intervalMs` until it returns a truthy value (returned) or `timeoutMs` passes (returns undefined). */
export async function pollUntil(check, { timeoutMs, intervalMs = 20 }) {
  const deadline = now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (now() >= deadline) return undefined
    await sleep(intervalMs)
  }
}
