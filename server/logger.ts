import pino, { type Logger } from 'pino'

/** JSON lines on stdout, one event name per line (`msg`). Never given a token or document content. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'cowrite-sync' }, timestamp: pino.stdTimeFunctions.isoTime })
}

export type { Logger }
