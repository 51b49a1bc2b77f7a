import { appSettings } from '../../_server/config'
import { jsonError } from '../../_server/json-error'
import { newDocId } from '../../../lib/doc-id'
import { docLinks } from '../../../lib/links'
import { RateLimiter, forwardedClient } from '../../../lib/rate-limit'

// Made on the first request, like the settings it reads (never at build time).
let limiter: RateLimiter | undefined

/** `POST /api/docs`: a new document's links; at most CREATE_RATE_LIMIT a minute per client address. */
export function POST(request: Request): Response {
  limiter ??= new RateLimiter(appSettings().config.createRateLimit)
  const verdict = limiter.take(forwardedClient(request.headers.get('x-forwarded-for')))
  if (!verdict.ok) return jsonError(429, 'rate-limited', { 'Retry-After': String(verdict.retryAfterSeconds) })
  const links = docLinks(appSettings().links, newDocId())
  return Response.json(links, { status: 201, headers: { 'Cache-Control': 'no-store' } })
}
