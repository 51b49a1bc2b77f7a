/** Document ids: 16 random bytes (128 bits), base64url without padding: 22 characters. */
const DOC_ID = /^[A-Za-z0-9_-]{22}$/

export function newDocId(): string {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return toBase64Url(bytes)
}

export function isDocId(value: unknown): value is string {
  return typeof value === 'string' && DOC_ID.test(value)
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
