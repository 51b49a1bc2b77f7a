import { Counter, Gauge, Histogram, Registry } from 'prom-client'

export type Metrics = ReturnType<typeof createMetrics>

/**
 * Prometheus metrics of one sync server, on a registry of its own (no global state).
 * Per-message figures are plain numbers bumped on the hot path (`sent`, `received`) and copied
 * into their counters when /metrics is scraped.
 */
export function createMetrics() {
  const registry = new Registry()
  const registers = [registry]
  const sent = { messages: 0, bytes: 0 }
  const received = { bytes: 0, byKind: {} as Record<string, number> }
  let reportedByKind: Record<string, number> = {}
  /** A counter that reads a running total when scraped and adds what it has not reported yet. */
  const totalCounter = (name: string, help: string, total: () => number) => {
    let reported = 0
    return new Counter({
      name,
      help,
      registers,
      collect() {
        const now = total()
        this.inc(now - reported)
        reported = now
      },
    })
  }
  return {
    registry,
    sent,
    received,
    connections: new Gauge({ name: 'cowrite_connections', help: 'Open WebSocket connections', registers }),
    docsLoaded: new Gauge({ name: 'cowrite_documents_loaded', help: 'Documents in memory', registers }),
    messagesIn: new Counter({
      name: 'cowrite_messages_in_total',
      help: 'Messages received, by kind',
      labelNames: ['kind'],
      registers,
      collect() {
        for (const [kind, count] of Object.entries(received.byKind)) this.inc({ kind }, count - (reportedByKind[kind] ?? 0))
        reportedByKind = { ...received.byKind }
      },
    }),
    bytesIn: totalCounter('cowrite_bytes_in_total', 'Bytes received', () => received.bytes),
    messagesOut: totalCounter('cowrite_messages_out_total', 'Messages sent', () => sent.messages),
    bytesOut: totalCounter('cowrite_bytes_out_total', 'Bytes sent', () => sent.bytes),
    storeWriteSeconds: new Histogram({
      name: 'cowrite_store_write_seconds',
      help: 'Time to write one LevelDB batch',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    }),
    storeBatchOps: new Histogram({
      name: 'cowrite_store_batch_ops',
      help: 'Operations per LevelDB batch',
      buckets: [1, 2, 5, 10, 50, 100, 500, 1000, 5000],
      registers,
    }),
    relaySeconds: new Histogram({
      name: 'cowrite_relay_seconds',
      help: 'Time from an update arriving to it being sent to the other clients',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers,
    }),
    errors: new Counter({ name: 'cowrite_errors_total', help: 'Errors, by kind', labelNames: ['kind'], registers }),
    rejected: new Counter({ name: 'cowrite_rejected_connections_total', help: 'Refused connections, by reason', labelNames: ['reason'], registers }),
  }
}
