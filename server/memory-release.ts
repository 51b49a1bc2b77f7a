import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { Logger } from './logger'

/**
 * Why this exists: V8 collects the old generation when allocation pushes it there, not when the
 * process goes quiet. After a wave of documents unloads, a server that then idles keeps the
 * unloaded documents' garbage and its grown young generation (measured: 1,000 documents opened
 * and left, RSS 109-118 MiB ten seconds later against 73 at start). So once a wave of at least
 * `minUnloads` documents, and at least as many as are still loaded (most of what documents held
 * is garbage), has been quiet for `quietMs`, one full collection frees the garbage, and a second
 * one `followUpMs` later gives the pages back: V8 shrinks its young generation only in a
 * collection whose recent allocation rate (over the last 5 s of its records) is low, which the
 * first one, right after the wave, is not. At most one wave per `minIntervalMs`. A busy server,
 * whose documents come and go while many stay loaded, is left to V8: a forced collection stops
 * everything for as long as it takes, and a large heap takes longest.
 */
export type MemoryReleaseOptions = {
  log: Logger
  /** How many documents are loaded now. */
  loaded: () => number
  /** Runs a full garbage collection (default: V8's, see `fullCollection`). */
  collect?: () => void
  minUnloads?: number
  quietMs?: number
  followUpMs?: number
  minIntervalMs?: number
}

const MIN_UNLOADS = 100
const QUIET_MS = 500
const FOLLOW_UP_MS = 5_500
const MIN_INTERVAL_MS = 30_000

export class MemoryRelease {
  readonly #log: Logger
  readonly #loaded: () => number
  readonly #collect: () => void
  readonly #minUnloads: number
  readonly #quietMs: number
  readonly #followUpMs: number
  readonly #minIntervalMs: number
  #unloads = 0
  #lastAt = Number.NEGATIVE_INFINITY
  #timer: NodeJS.Timeout | undefined
  #stopped = false

  constructor(options: MemoryReleaseOptions) {
    this.#log = options.log
    this.#loaded = options.loaded
    this.#collect = options.collect ?? fullCollection()
    this.#minUnloads = options.minUnloads ?? MIN_UNLOADS
    this.#quietMs = options.quietMs ?? QUIET_MS
    this.#followUpMs = options.followUpMs ?? FOLLOW_UP_MS
    this.#minIntervalMs = options.minIntervalMs ?? MIN_INTERVAL_MS
  }

  /** A document was unloaded: each one postpones the collection until the wave is quiet. */
  readonly noteUnload = (): void => {
    this.#unloads++
    if (!this.#waveIsLarge() || this.#stopped) return
    clearTimeout(this.#timer)
    const wait = Math.max(this.#quietMs, this.#lastAt + this.#minIntervalMs - performance.now())
    this.#timer = setTimeout(this.#release, wait)
    this.#timer.unref()
  }

  /** For shutdown, whose unloads need no collection. */
  stop(): void {
    this.#stopped = true
    clearTimeout(this.#timer)
  }

  #waveIsLarge(): boolean {
    return this.#unloads >= Math.max(this.#minUnloads, this.#loaded())
  }

  readonly #release = (): void => {
    this.#timer = undefined
    // Documents loaded since the wave may have made it small again; later unloads count on.
    if (!this.#waveIsLarge()) return
    const before = process.memoryUsage()
    const startedAt = performance.now()
    this.#collect()
    this.#lastAt = performance.now()
    const after = process.memoryUsage()
    const mib = (bytes: number) => Math.round(bytes / 104857.6) / 10
    this.#log.debug(
      { unloads: this.#unloads, ms: Math.round(this.#lastAt - startedAt), heapUsedMiB: [mib(before.heapUsed), mib(after.heapUsed)] },
      'memory.released',
    )
    this.#unloads = 0
    this.#timer = setTimeout(this.#followUp, this.#followUpMs)
    this.#timer.unref()
  }

  readonly #followUp = (): void => {
    this.#timer = undefined
    if (this.#stopped) return
    this.#collect()
    this.#log.debug('memory.released.follow-up')
  }
}

/**
 * V8's full collection, without starting Node with --expose-gc (the server is started from
 * npm, systemd, Docker and the benchmark): the flag is set just long enough for a fresh context
 * to be created with `gc` in it, and turned off again.
 */
export function fullCollection(): () => void {
  if (typeof globalThis.gc === 'function') return globalThis.gc
  setFlagsFromString('--expose-gc')
  try {
    return runInNewContext('gc') as () => void
  } finally {
    setFlagsFromString('--no-expose-gc')
  }
}
