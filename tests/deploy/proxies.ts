import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { type Env, type Started, TOOLS_PATH, runTool, startProcess, waitForStatus } from './processes'

export const SHIPPED_NGINX_SITE = resolve('deploy/nginx/cowrite.conf')
export const SHIPPED_CADDYFILE = resolve('deploy/Caddyfile')

/** Where the proxy finds the app. */
export type Upstreams = { webPort: number; syncPort: number }
export type RunningProxy = { url: string; stop(): Promise<void> }
export type TlsPorts = { httpPort: number; httpsPort: number }
export type RunningTlsProxy = {
  httpUrl: string
  httpsUrl: string
  /** nginx: a file placed where certbot's webroot challenges go, and its content. */
  challenge?: { path: string; content: string }
  stop(): Promise<void>
}

export type ProxyUnderTest = {
  name: 'nginx' | 'caddy'
  /** Runs the proxy's own checker on the shipped file; resolves with its output, rejects if it fails. */
  validateShipped(): Promise<string>
  /** Runs the shipped configuration in the foreground, made plain HTTP on a loopback `port`. */
  startPlainHttp(port: number, upstreams: Upstreams): Promise<RunningProxy>
  /** Runs the shipped configuration with its TLS and its http-to-https redirect, on loopback ports and a certificate made here. */
  startTls(ports: TlsPorts, upstreams: Upstreams): Promise<RunningTlsProxy>
}

/** A temp dir that this suite removes; readable by nginx's unprivileged workers, which write their buffers into it. */
function workDir(name: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `cowrite-${name}-`))
  chmodSync(dir, 0o755)
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Replaces `from` (every occurrence, for a string or a /g pattern) and fails if it is not there: a test of a config that changed under it must not pass by accident. */
function substitute(text: string, from: string | RegExp, to: string): string {
  const pattern = typeof from === 'string' ? new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : from
  const result = text.replace(pattern, to)
  if (result === text) throw new Error(`the shipped configuration no longer contains ${String(from)}`)
  return result
}

/** Starts a proxy in a work dir and resolves once `readyUrl` answers 200; on failure everything is cleaned up. */
async function launch(
  name: string,
  prepare: (dir: string) => Promise<{ args: string[]; env: Env }>,
  readyUrl: string,
): Promise<() => Promise<void>> {
  const work = workDir(name)
  let proxy: Started | undefined
  const stop = async () => {
    await proxy?.stop()
    work.remove()
  }
  try {
    const { args, env } = await prepare(work.dir)
    proxy = startProcess(name, name, args, env)
    await waitForStatus(readyUrl, proxy, 200, 30_000)
    return stop
  } catch (error) {
    await stop()
    throw error
  }
}

// ---- nginx ----------------------------------------------------------------------------------

const CERTBOT_CERT = '/etc/letsencrypt/live/docs.example.com/fullchain.pem'
const CERTBOT_KEY = '/etc/letsencrypt/live/docs.example.com/privkey.pem'

/** A main config that includes the site in `http {}`, as Debian's nginx.conf does, with every path inside `dir`. */
function nginxMainConfig(dir: string, site: string): string {
  return [
    'daemon off;',
    'worker_processes 1;',
    `pid ${dir}/nginx.pid;`,
    'error_log stderr warn;',
    'events { worker_connections 256; }',
    'http {',
    '    access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `    ${kind}_temp_path ${dir}/${kind}_temp;`),
    `    include ${site};`,
    '}',
    '',
  ].join('\n')
}

type Block = { text: string; start: number; end: number }

/** The top-level `server { … }` blocks of a site file (comments skipped when counting braces). */
function serverBlocks(config: string): Block[] {
  const blocks: Block[] = []
  let depth = 0
  let start = -1
  for (let i = 0; i < config.length; i++) {
    const c = config[i]
    if (c === '#') {
      while (i < config.length && config[i] !== '\n') i++
    } else if (c === '{') {
      if (depth === 0 && /(^|\n)\s*server\s*$/.test(config.slice(0, i))) start = config.lastIndexOf('server', i)
      depth++
    } else if (c === '}') {
      depth--
      if (depth === 0 && start >= 0) {
        blocks.push({ text: config.slice(start, i + 1), start, end: i + 1 })
        start = -1
      }
    }
  }
  return blocks
}

/** The shipped site with a self-signed certificate (made in `dir`) where certbot's will be. */
async function withTestCertificate(shipped: string, dir: string): Promise<string> {
  await runTool('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=docs.example.com',
    '-keyout', join(dir, 'privkey.pem'), '-out', join(dir, 'fullchain.pem'),
  ])
  return substitute(substitute(shipped, CERTBOT_CERT, join(dir, 'fullchain.pem')), CERTBOT_KEY, join(dir, 'privkey.pem'))
}

function withUpstreams(site: string, upstreams: Upstreams): string {
  site = substitute(site, 'http://127.0.0.1:3000;', `http://127.0.0.1:${upstreams.webPort};`)
  return substitute(site, 'http://127.0.0.1:1234;', `http://127.0.0.1:${upstreams.syncPort};`)
}

/**
 * The shipped site as plain HTTP on a loopback port: the port-80 redirect server is dropped,
 * and the TLS server keeps every location and proxy directive but listens on `port` without
 * its ssl_* lines.
 */
export function nginxHttpVariant(shipped: string, port: number, upstreams: Upstreams): string {
  const blocks = serverBlocks(shipped)
  const redirect = blocks.filter((b) => /^\s*listen\s+80;/m.test(b.text))
  const tls = blocks.filter((b) => /^\s*listen\s+443\s+ssl\b/m.test(b.text))
  if (blocks.length !== 2 || redirect.length !== 1 || tls.length !== 1) {
    throw new Error('expected the shipped nginx site to have one port-80 redirect server and one TLS server')
  }
  let site = tls[0].text
  site = substitute(site, /^(\s*)listen\s+443\s+ssl[^;]*;/m, `$1listen 127.0.0.1:${port};`)
  site = substitute(site, /^\s*listen\s+\[::\]:443\s+ssl[^;]*;\n/m, '')
  site = substitute(site, /^\s*ssl_\w+\s[^;]*;\n/gm, '')
  site = withUpstreams(site, upstreams)
  // Rebuilt by position: the text is full of $variables that String.replace could misread.
  const [first, second] = blocks
  const keep = (b: Block) => (b === tls[0] ? site : '')
  return shipped.slice(0, first.start) + keep(first) + shipped.slice(first.end, second.start) + keep(second) + shipped.slice(second.end)
}

/** The shipped site whole, on loopback ports instead of 80 and 443 (IPv4 only), with certbot's webroot in `webroot`. */
export function nginxTlsVariant(shipped: string, ports: TlsPorts, upstreams: Upstreams, webroot: string): string {
  let site = substitute(shipped, 'root /var/www/html;', `root ${webroot};`)
  site = substitute(site, /^(\s*)listen\s+80;/m, `$1listen 127.0.0.1:${ports.httpPort};`)
  site = substitute(site, /^\s*listen\s+\[::\]:80;\n/m, '')
  site = substitute(site, /^(\s*)listen\s+443(\s+ssl[^;]*);/m, `$1listen 127.0.0.1:${ports.httpsPort}$2;`)
  site = substitute(site, /^\s*listen\s+\[::\]:443\s+ssl[^;]*;\n/m, '')
  return withUpstreams(site, upstreams)
}

function nginxCommand(dir: string, site: string): { args: string[]; env: Env } {
  writeFileSync(join(dir, 'cowrite.conf'), site)
  writeFileSync(join(dir, 'nginx.conf'), nginxMainConfig(dir, join(dir, 'cowrite.conf')))
  return { args: ['-p', `${dir}/`, '-e', 'stderr', '-c', join(dir, 'nginx.conf')], env: { PATH: TOOLS_PATH } }
}

const shippedNginxSite = () => readFileSync(SHIPPED_NGINX_SITE, 'utf8')

export const nginx: ProxyUnderTest = {
  name: 'nginx',

  async validateShipped() {
    const work = workDir('nginx-t')
    try {
      const { args } = nginxCommand(work.dir, await withTestCertificate(shippedNginxSite(), work.dir))
      const { stdout, stderr } = await runTool('nginx', ['-t', ...args])
      return stdout + stderr
    } finally {
      work.remove()
    }
  },

  async startPlainHttp(port, upstreams) {
    const url = `http://127.0.0.1:${port}`
    const stop = await launch('nginx', async (dir) => nginxCommand(dir, nginxHttpVariant(shippedNginxSite(), port, upstreams)), `${url}/`)
    return { url, stop }
  },

  async startTls(ports, upstreams) {
    const httpsUrl = `https://127.0.0.1:${ports.httpsPort}`
    const challenge = { path: '/.well-known/acme-challenge/probe', content: 'a challenge answer\n' }
    const stop = await launch(
      'nginx',
      async (dir) => {
        const webroot = join(dir, 'webroot')
        mkdirSync(join(webroot, '.well-known/acme-challenge'), { recursive: true })
        writeFileSync(join(webroot, challenge.path), challenge.content)
        return nginxCommand(dir, await withTestCertificate(nginxTlsVariant(shippedNginxSite(), ports, upstreams, webroot), dir))
      },
      `${httpsUrl}/`,
    )
    return { httpUrl: `http://127.0.0.1:${ports.httpPort}`, httpsUrl, challenge, stop }
  },
}

// ---- Caddy ----------------------------------------------------------------------------------

/** Caddy keeps certificates, locks and autosaved config under these; point them at the test's dir. */
function caddyEnv(dir: string, site: Record<string, string> = {}): Env {
  return { PATH: TOOLS_PATH, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, ...site }
}

/**
 * The shipped Caddyfile, unchanged, adapted to JSON with the site address and upstreams
 * from the environment (the placeholders compose.yaml sets too). In the JSON, Caddy's admin
 * endpoint (a fixed port) is turned off and its storage kept in `dir`.
 */
async function adaptedCaddyfile(dir: string, domain: string, upstreams: Upstreams) {
  const site = {
    DOMAIN: domain,
    COWRITE_WEB_UPSTREAM: `127.0.0.1:${upstreams.webPort}`,
    COWRITE_SYNC_UPSTREAM: `127.0.0.1:${upstreams.syncPort}`,
  }
  const { stdout } = await runTool('caddy', ['adapt', '--config', SHIPPED_CADDYFILE, '--adapter', 'caddyfile'], caddyEnv(dir, site))
  const config = JSON.parse(stdout)
  config.admin = { disabled: true }
  config.storage = { module: 'file_system', root: join(dir, 'storage') }
  return config
}

function caddyCommand(dir: string, config: unknown): { args: string[]; env: Env } {
  writeFileSync(join(dir, 'caddy.json'), JSON.stringify(config, null, 2))
  return { args: ['run', '--config', join(dir, 'caddy.json')], env: caddyEnv(dir) }
}

export const caddy: ProxyUnderTest = {
  name: 'caddy',

  async validateShipped() {
    const work = workDir('caddy-validate')
    try {
      const env = caddyEnv(work.dir, { DOMAIN: 'docs.example.com' })
      const { stdout, stderr } = await runTool('caddy', ['validate', '--config', SHIPPED_CADDYFILE, '--adapter', 'caddyfile'], env)
      return stdout + stderr
    } finally {
      work.remove()
    }
  },

  async startPlainHttp(port, upstreams) {
    // An http:// site address is how a Caddyfile says "no automatic HTTPS" for a site.
    const url = `http://127.0.0.1:${port}`
    const stop = await launch('caddy', async (dir) => caddyCommand(dir, await adaptedCaddyfile(dir, url, upstreams)), `${url}/`)
    return { url, stop }
  },

  async startTls(ports, upstreams) {
    // For an IP address Caddy issues the certificate from its own local CA instead of ACME; it
    // must not add that CA to this machine's trust store.
    const httpsUrl = `https://127.0.0.1:${ports.httpsPort}`
    const stop = await launch(
      'caddy',
      async (dir) => {
        const config = await adaptedCaddyfile(dir, `127.0.0.1:${ports.httpsPort}`, upstreams)
        config.apps.http.http_port = ports.httpPort
        config.apps.http.https_port = ports.httpsPort
        config.apps.pki = { certificate_authorities: { local: { install_trust: false } } }
        return caddyCommand(dir, config)
      },
      `${httpsUrl}/`,
    )
    return { httpUrl: `http://127.0.0.1:${ports.httpPort}`, httpsUrl, stop }
  },
}
