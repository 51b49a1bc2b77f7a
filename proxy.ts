import { type NextRequest, NextResponse } from 'next/server'
import { appSettings } from './app/_server/config'
import { contentSecurityPolicy } from './app/_server/content-security-policy'
import { toBase64Url } from './lib/doc-id'

/**
 * Gives every page its Content-Security-Policy with a fresh nonce. Here and not in next.config.js:
 * the policy names the sync server's origin, which is read at start, not at build. The static
 * security headers are in next.config.js.
 */
export function proxy(request: NextRequest): NextResponse {
  const { config } = appSettings()
  const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(16)))
  const csp = contentSecurityPolicy({
    nonce,
    syncUrl: config.syncUrl,
    https: config.publicUrl.startsWith('https:'),
    // Inlined by Next at build time.
    dev: process.env.NODE_ENV === 'development',
  })
  // Next takes the nonce for its own scripts from the request's policy; a page's own inline
  // <script> (none yet) would read it from `x-nonce` with headers().
  const headers = new Headers(request.headers)
  headers.set('content-security-policy', csp)
  headers.set('x-nonce', nonce)
  const response = NextResponse.next({ request: { headers } })
  response.headers.set('content-security-policy', csp)
  return response
}

export const config = {
  // Not for build output and icons: they carry no markup.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg).*)'],
}
