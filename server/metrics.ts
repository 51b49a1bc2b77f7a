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
  let reported = { messages: 0, bytes: 0 }
  const received = { bytes: 0, byKind: {} as Record<string, number> }
  let reportedIn = { bytes: 0, byKind: {} as Record<string, number> }
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
        for (const [kind, count] of Object.entries(received.byKind)) this.inc({ kind }, count - (reportedIn.byKind[kind] ?? 0))
        reportedIn = { ...reportedIn, byKind: { ...received.byKind } }
      },
    }),
    bytesIn: new Counter({
      name: 'cowrite_bytes_in_total',
      help: 'Bytes received',
      registers,
      collect() {
        this.inc(received.bytes - reportedIn.bytes)
        reportedIn = { ...reportedIn, bytes: received.bytes }
      },
    }),
    messagesOut: new Counter({
      name: 'cowrite_messages_out_total',
      help: 'Messages sent',
      registers,
      collect() {
        this.inc(sent.messages - reported.messages)
        reported = { ...reported, messages: sent.messages }
      },
    }),
    bytesOut: new Counter({
      name: 'cowrite_bytes_out_total',
      help: 'Bytes sent',
      registers,
      collect() {
        this.inc(sent.bytes - reported.bytes)
        reported = { ...reported, bytes: sent.bytes }
      },
    }),
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
