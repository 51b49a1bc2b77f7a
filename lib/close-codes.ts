/**
 * WebSocket close codes the sync server sends, shared by server, client and README.
 * 4000–4999 are application codes; a client must not reconnect on the 44xx ones
 * (reconnecting cannot help), and should reconnect on everything else.
 */
export const Close = {
  /** SIGTERM: the server is restarting; reconnect. */
  Restarting: { code: 1012, reason: 'server-restarting' },
  /** The server could not serve this document (store failure); reconnect later. */
  Internal: { code: 1011, reason: 'internal-error' },
  /** A frame that is not a valid y-websocket message. */
  BadMessage: { code: 4400, reason: 'bad-message' },
  /** Missing, malformed or forged token, or a token for another document. */
  Unauthorized: { code: 4401, reason: 'unauthorized' },
  /** The Origin header is not allowed. */
  ForbiddenOrigin: { code: 4403, reason: 'forbidden-origin' },
  /** The client stopped reading and its send buffer overflowed. */
  TooSlow: { code: 4408, reason: 'too-slow' },
  /** The link was reset; the token is no longer valid. */
  LinkRevoked: { code: 4410, reason: 'link-revoked' },
  /** The operator deleted the document. */
  Deleted: { code: 4404, reason: 'document-deleted' },
  /** Too many connections or messages from one address. */
  RateLimited: { code: 4429, reason: 'rate-limited' },
} as const satisfies Record<string, { code: number; reason: string }>

export type CloseKind = keyof typeof Close

/** Close codes after which reconnecting with the same link cannot succeed. */
export function isFatalClose(code: number): boolean {
  return (
    code === Close.Unauthorized.code ||
    code === Close.ForbiddenOrigin.code ||
    code === Close.LinkRevoked.code ||
    code === Close.Deleted.code
  )
}
