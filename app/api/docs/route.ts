import { appSettings } from '../../_server/config'
import { jsonError } from '../../_server/json-error'
import { newDocId } from '../../../lib/doc-id'
import { docLinks } from '../../../lib/links'
import { type TrustedProxy, forwardedClient, trustedProxies } from '../../../lib/client-address'
import { RateLimiter } from '../../../lib/rate-limit'

// Made on the first request, like the settings it reads (never at build time).
let limiter: RateLimiter | undefined
let isTrusted: TrustedProxy | undefined

/** `POST /api/docs`: a new document's links; at most CREATE_RATE_LIMIT a minute per client address. */
export function POST(request: Request): Response {
  const settings = appSettings()
  limiter ??= new RateLimiter(settings.config.createRateLimit)
  isTrusted ??= trustedProxies(settings.config.trustedProxies)
  const verdict = limiter.take(clientOf(request, isTrusted))
  if (!verdict.ok) return jsonError(429, 'rate-limited', { 'Retry-After': String(verdict.retryAfterSeconds) })
  const links = docLinks(settings.links, newDocId())
  return Response.json(links, { status: 201, headers: { 'Cache-Control': 'no-store' } })
}

/**
 * The address a request handler can know from headers alone: X-Forwarded-For read as the sync
 * server reads it (lib/client-address.ts). `next start` sets that header to the socket's address
 * when a request arrives without one; a reverse proxy in front appends the address it saw. (A
 * client that reaches the web app directly, not through a proxy, can therefore pick its own
 * address: run it behind one.)
 */
function clientOf(request: Request, isTrusted: TrustedProxy): string {
  return forwardedClient(request.headers.get('x-forwarded-for'), isTrusted) ?? 'unknown'
}
