/**
 * The pages' Content-Security-Policy, made per request:
 * - scripts run only with this response's nonce (Next reads it from the request's CSP header and
 *   puts it on its own scripts) or when loaded by such a script ('strict-dynamic'): an injected
 *   <script>, inline event handler or javascript: URL does not run;
 * - styles allow inline: ProseMirror and the caret extension set style attributes, which a nonce
 *   cannot cover (and a nonce in style-src would turn 'unsafe-inline' off);
 * - connect-src names the sync server, whose URL is runtime configuration (SYNC_URL);
 * - nothing may frame the app (its links are capabilities; no clickjacking of "Reset links").
 */
export type CspOptions = { nonce: string; syncUrl: string; https: boolean; dev: boolean }

export function contentSecurityPolicy({ nonce, syncUrl, https, dev }: CspOptions): string {
  const directives = [
    "default-src 'self'",
    // React in development reconstructs server error stacks with eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${new URL(syncUrl).origin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Plain-HTTP setups (localhost) must keep their ws:// sync URL as it is.
    ...(https ? ['upgrade-insecure-requests'] : []),
  ]
  return directives.join('; ')
}
