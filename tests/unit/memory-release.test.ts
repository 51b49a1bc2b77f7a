import pino from 'pino'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MemoryRelease, fullCollection } from '../../server/memory-release'

const log = pino({ level: 'silent' })

describe('memory release after a wave of unloads', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const release = (loaded = () => 0) => {
    const collect = vi.fn()
    return { collect, memory: new MemoryRelease({ log, loaded, collect, minUnloads: 100, quietMs: 1_000, followUpMs: 6_000, minIntervalMs: 30_000 }) }
  }
  const unload = (memory: MemoryRelease, times: number) => {
    for (let i = 0; i < times; i++) memory.noteUnload()
  }
  /** Exactly `ms` from now, not a millisecond earlier, `collect` is called for the `nth` time. */
  const expectCollectionIn = (collect: ReturnType<typeof vi.fn>, ms: number, nth: number) => {
    vi.advanceTimersByTime(ms - 1)
    expect(collect).toHaveBeenCalledTimes(nth - 1)
    vi.advanceTimersByTime(1)
    expect(collect).toHaveBeenCalledTimes(nth)
  }

  it('collects once a wave of enough unloads has been quiet, then once more later, and not for a few', () => {
    const { collect, memory } = release()
    unload(memory, 99)
    vi.advanceTimersByTime(10_000)
    expect(collect).not.toHaveBeenCalled()

    unload(memory, 1)
    expectCollectionIn(collect, 1_000, 1)
    expectCollectionIn(collect, 6_000, 2)
    vi.advanceTimersByTime(60_000)
    expect(collect).toHaveBeenCalledTimes(2)
  })

  it('waits while documents keep unloading', () => {
    const { collect, memory } = release()
    unload(memory, 100)
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(900)
      unload(memory, 1)
    }
    expect(collect).not.toHaveBeenCalled()
    expectCollectionIn(collect, 1_000, 1)
  })

  it('starts a wave at most once per interval, and counts the next wave from zero', () => {
    const { collect, memory } = release()
    unload(memory, 100)
    vi.advanceTimersByTime(7_000)
    expect(collect).toHaveBeenCalledTimes(2) // at 1 s, and the follow-up at 7 s

    // A second wave soon after waits until 30 s after the first wave's collection.
    unload(memory, 100)
    expectCollectionIn(collect, 24_000, 3)
    expectCollectionIn(collect, 6_000, 4)

    // The count starts again from zero after each wave.
    unload(memory, 99)
    vi.advanceTimersByTime(60_000)
    expect(collect).toHaveBeenCalledTimes(4)
    unload(memory, 1)
    vi.advanceTimersByTime(1_000)
    expect(collect).toHaveBeenCalledTimes(5)
  })

  it('leaves a busy server to V8: a wave smaller than what stays loaded is not collected', () => {
    let loaded = 500
    const { collect, memory } = release(() => loaded)
    unload(memory, 499)
    vi.advanceTimersByTime(10_000)
    expect(collect).not.toHaveBeenCalled()
    unload(memory, 1)
    vi.advanceTimersByTime(1_000)
    expect(collect).toHaveBeenCalledTimes(1)

    // Documents loaded again during the quiet period make a large wave small: no collection.
    vi.advanceTimersByTime(60_000)
    collect.mockClear()
    loaded = 50
    unload(memory, 100)
    loaded = 1_000
    vi.advanceTimersByTime(60_000)
    expect(collect).not.toHaveBeenCalled()
  })

  it('does nothing once stopped (shutdown unloads every document)', () => {
    const { collect, memory } = release()
    unload(memory, 100)
    vi.advanceTimersByTime(1_000)
    expect(collect).toHaveBeenCalledTimes(1)
    memory.stop() // before the follow-up
    unload(memory, 500)
    vi.advanceTimersByTime(60_000)
    expect(collect).toHaveBeenCalledTimes(1)
  })
})

describe("V8's full collection", () => {
  it('is available without --expose-gc and frees unreachable objects', () => {
    let garbage: number[][] | null = Array.from({ length: 200_000 }, (_, i) => [i, i + 1, i + 2, i + 3])
    const before = process.memoryUsage().heapUsed
    expect(garbage.length).toBe(200_000)
    garbage = null
    fullCollection()()
    const after = process.memoryUsage().heapUsed
    expect(before - after).toBeGreaterThan(10 * 1024 * 1024)
    expect(garbage).toBeNull()
  })
})
