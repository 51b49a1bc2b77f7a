// What the kernel says about a process (Linux /proc) and a directory on disk.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100

/** CPU time (user + system, all threads) a process has used so far, in microseconds. */
export function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name may contain spaces and parentheses: fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return ((utime + stime) * 1e6) / TICKS_PER_SECOND
}

/**
 * CPU time the machine's processes have used (every core: user, nice, system) plus time the
 * hypervisor stole, in microseconds. Interrupt time is left out: it is mostly the kernel
 * moving the benchmark's own loopback traffic, which no process is charged for.
 */
export function machineCpuMicros() {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).map(Number)
  const [user, nice, system, , , , , steal = 0] = ticks
  return ((user + nice + system + steal) * 1e6) / TICKS_PER_SECOND
}

/** { rss, peak } resident memory of a process in bytes (VmRSS, VmHWM). */
export function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024
  return { rss: kib('VmRSS'), peak: kib('VmHWM') }
}

/**
 * Total size in bytes of the files under `dir` (0 if it does not exist); with
 * `{ withMtime: true }`, { bytes, latestMtimeMs } so that rewrites in place show too.
 */
export function diskUsage(dir, { withMtime = false } = {}) {
  const totals = { bytes: 0, latestMtimeMs: 0 }
  walk(dir, totals)
  return withMtime ? totals : totals.bytes
}

function walk(dir, totals) {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return // not created yet: nothing stored
  }
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) walk(path, totals)
    else if (entry.isFile()) {
      try {
        const { size, mtimeMs } = statSync(path)
        totals.bytes += size
        totals.latestMtimeMs = Math.max(totals.latestMtimeMs, mtimeMs)
      } catch {
        // removed between readdir and stat (LevelDB compaction): it no longer counts
      }
    }
  }
}

/**
 * Samples a process's RSS every `intervalMs` and remembers the highest value, for a peak
 * over one phase (VmHWM covers the process's whole life).
 */
export function rssSampler(pid, intervalMs = 100) {
  let peak = 0
  const sample = () => {
    try {
      peak = Math.max(peak, memory(pid).rss)
    } catch {
      // the process has exited; keep the peak seen so far
    }
  }
  sample()
  const timer = setInterval(sample, intervalMs)
  return {
    stop() {
      clearInterval(timer)
      sample()
      return peak
    },
  }
}
