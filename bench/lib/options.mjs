// Command-line options of `npm run bench`. Built-ins only: read before bench/node_modules exists.

const SCENARIOS = ['fanout', 'stepup', 'ingest', 'presence', 'idle', 'join', 'coldload', 'memory']
const SERVER_NAMES = ['cowrite', 'classic', 'hocuspocus', 'relay']

export const usage = `npm run bench -- [scenario ...] [options]

scenarios (default: all, in this order)
  fanout     D docs × C clients typing: latency, deliveries/s, server CPU per delivery, peak RSS
  stepup     fan-out load stepped up until p99 > 100 ms: the highest load each server holds
  ingest     one client replays the 259,778-edit trace: updates/s, time until all on disk
  presence   200 clients on one doc moving carets 5×/s: server CPU, awareness latency
  idle       10,000 synced connections over 1,000 docs: connect time, memory, idle CPU
  join       the trace's document loaded, 100 clients join at once: time to synced
  coldload   the trace stored as small updates, restart, a fresh client's time to full text
  memory     1,000 docs opened then left: RSS after unload; start-up with 10,000 stored docs

options
  --quick            smaller shapes and shorter phases, for a sanity run (~3 min)
  --servers=a,b      subset of ${SERVER_NAMES.join(', ')} (default: all)
  --workers=N        load-generator processes (default 2)
  --no-build         do not rebuild dist/sync-server.js first
  --out=FILE         also write the tables (markdown) to FILE; JSON goes to bench/results/
`

export function parseOptions(args) {
  const scenarios = args.filter((a) => !a.startsWith('-'))
  for (const s of scenarios) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario "${s}"\n\n${usage}`)
  const value = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
  const servers = value('servers')?.split(',').filter(Boolean) ?? SERVER_NAMES
  for (const s of servers) if (!SERVER_NAMES.includes(s)) throw new Error(`unknown server "${s}"\n\n${usage}`)
  for (const a of args) {
    if (a.startsWith('-') && !['--quick', '--no-build'].includes(a) && !['servers', 'workers', 'out'].some((n) => a.startsWith(`--${n}=`))) {
      throw new Error(`unknown option "${a}"\n\n${usage}`)
    }
  }
  return {
    scenarios: scenarios.length ? SCENARIOS.filter((s) => scenarios.includes(s)) : SCENARIOS,
    servers: SERVER_NAMES.filter((s) => servers.includes(s)),
    quick: args.includes('--quick'),
    workers: Number(value('workers') ?? 2),
    out: value('out'),
  }
}
