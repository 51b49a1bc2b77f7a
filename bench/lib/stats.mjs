// Percentiles, the send/receive join, and the tables every scenario prints.

/** { p50, p99, max, count } of a list of numbers. */
export function summarize(values) {
  const sorted = Float64Array.from(values).sort()
  const at = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : Number.NaN)
  return { p50: at(0.5), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1] : Number.NaN, count: sorted.length }
}

/**
 * Joins what the senders sent ([{ clientID, clock0, times }]) with what receivers recorded
 * ({ client, clock, len?, at } columns, from every worker; no len means 1) into one latency per delivery.
 * Receipts of clocks that were not sent in this phase (earlier phases, the handshake) are ignored.
 */
export function joinLatencies(sends, receiptLists) {
  const byClient = new Map(sends.map((s) => [s.clientID, s]))
  let total = 0
  for (const r of receiptLists) {
    if (!r.len) total += r.client.length
    else for (let i = 0; i < r.len.length; i++) total += r.len[i]
  }
  const latencies = new Float64Array(total)
  let n = 0
  for (const r of receiptLists) {
    for (let i = 0; i < r.client.length; i++) {
      const sent = byClient.get(r.client[i])
      if (!sent) continue
      for (let j = 0; j < (r.len ? r.len[i] : 1); j++) {
        const index = r.clock[i] + j - sent.clock0
        if (index < 0 || index >= sent.times.length || sent.times[index] === 0) continue
        latencies[n++] = r.at[i] - sent.times[index]
      }
    }
  }
  return latencies.subarray(0, n)
}

export const fmt = {
  ms: (v) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString('en-US')) : '–'),
  int: (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–'),
  num1: (v) => (Number.isFinite(v) ? v.toFixed(1) : '–'),
  num2: (v) => (Number.isFinite(v) ? v.toFixed(2) : '–'),
  mib: (v) => (Number.isFinite(v) ? (v / 1048576).toFixed(1) : '–'),
  kib: (v) => (Number.isFinite(v) ? (v / 1024).toFixed(2) : '–'),
  pct: (v) => (Number.isFinite(v) ? `${v.toFixed(1)}%` : '–'),
  text: (v) => (v === undefined || v === null ? '–' : String(v)),
}

/**
 * Prints a markdown table: one row per metric, one column per server, then cowrite's ratio
 * to each competitor (cowrite ÷ competitor; 'better' says which direction wins).
 *
 * rows: [{ label, better: 'lower' | 'higher' | '', format, values: { [server]: number | string } }]
 */
export function renderTable({ title, note, servers, rows }) {
  const competitors = servers.filter((s) => s !== 'cowrite')
  const hasCowrite = servers.includes('cowrite')
  const header = ['metric', ...servers, ...(hasCowrite ? competitors.map((s) => `cowrite ÷ ${s}`) : [])]
  const lines = rows.map((row) => {
    const cells = servers.map((s) => (typeof row.values[s] === 'number' ? (row.format ?? fmt.num2)(row.values[s]) : fmt.text(row.values[s])))
    const ratios = hasCowrite
      ? competitors.map((s) => {
          const a = row.values.cowrite
          const b = row.values[s]
          if (!row.better || typeof a !== 'number' || typeof b !== 'number' || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return ''
          return `${(a / b).toFixed(2)}×`
        })
      : []
    const label = row.better === 'lower' ? `${row.label} ↓` : row.better === 'higher' ? `${row.label} ↑` : row.label
    return [label, ...cells, ...ratios]
  })
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)))
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`
  const out = [`### ${title}`, '']
  if (note) out.push(note, '')
  out.push(line(header), `|${widths.map((w, i) => (i === 0 ? ':' : '') + '-'.repeat(w + 1) + (i === 0 ? '' : ':')).join('|')}|`)
  for (const l of lines) out.push(line(l))
  out.push('', `↓ lower is better, ↑ higher is better${hasCowrite && competitors.length ? '; ratios are cowrite ÷ the other server' : ''}.`, '')
  return out.join('\n')
}
