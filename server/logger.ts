import pino, { type Logger } from 'pino'

/** JSON lines on stdout, one event name per line (`msg`). Never given a token or document content. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'cowrite-sync' }, timestamp: pino.stdTimeFunctions.isoTime })
}

export type { Logger }

/**
 * Logs at most `limit` incidents per window (hostile input must not flood the log), then one
 * line with how many were suppressed.
 */
export function createIncidentLog(log: Logger, limit = 20, windowMs = 10_000) {
  let windowStart = 0
  let count = 0
  let suppressed = 0
  return (fields: Record<string, unknown>, event: string): void => {
    const now = Date.now()
    if (now - windowStart > windowMs) {
      if (suppressed > 0) log.warn({ suppressed }, 'incidents.suppressed')
      windowStart = now
      count = 0
      suppressed = 0
    }
    if (++count <= limit) log.warn(fields, event)
    else suppressed++
  }
}
