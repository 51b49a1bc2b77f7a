// The parent's side of the load-generator processes: fork them, send commands, await answers.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url))

export class WorkerPool {
  /** @param {number} size processes to fork (each is one event loop, one core at most) */
  constructor(size) {
    this.workers = Array.from({ length: size }, () => {
      // 'advanced' serialization carries typed arrays (receipts, send times) without JSON.
      const child = fork(WORKER, [], {
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        // e.g. BENCH_WORKER_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the load generator
        execArgv: process.env.BENCH_WORKER_ARGS ? process.env.BENCH_WORKER_ARGS.split(' ') : [],
      })
      const pending = new Map()
      child.on('message', ({ id, result, error }) => {
        const call = pending.get(id)
        if (!call) return
        pending.delete(id)
        if (error) call.reject(new Error(`worker ${child.pid}: ${error}`))
        else call.resolve(result)
      })
      child.on('exit', (code, signal) => {
        for (const call of pending.values()) call.reject(new Error(`worker ${child.pid} exited (${code ?? signal})`))
        pending.clear()
      })
      return { child, pending, nextId: 0 }
    })
  }

  get size() {
    return this.workers.length
  }

  /** Runs `cmd` on worker `index`. */
  call(index, cmd, args) {
    const worker = this.workers[index]
    const id = worker.nextId++
    return new Promise((resolve, reject) => {
      worker.pending.set(id, { resolve, reject })
      worker.child.send({ id, cmd, args })
    })
  }

  /** Runs `cmd` on every worker with `argsFor(index)` (skipping those for which it returns null). */
  all(cmd, argsFor = () => ({})) {
    return Promise.all(
      this.workers.map((_, index) => {
        const args = argsFor(index)
        return args === null ? Promise.resolve(null) : this.call(index, cmd, args)
      }),
    )
  }

  /** Ends the worker processes we forked (by their PIDs) and waits for them to exit. */
  async close() {
    await Promise.all(
      this.workers.map(
        ({ child }) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve()
            child.once('exit', resolve)
            child.disconnect()
            setTimeout(() => child.kill('SIGKILL'), 5_000).unref()
          }),
      ),
    )
  }
}

/** Splits `items` round-robin into `n` lists. */
export function deal(items, n) {
  const hands = Array.from({ length: n }, () => [])
  items.forEach((item, index) => hands[index % n].push(item))
  return hands
}
