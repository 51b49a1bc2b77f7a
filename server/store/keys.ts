/**
 * The LevelDB key schema, version 1. Nothing else spells a key.
 *   format                   -> store format version (utf8 number)
 *   v1!d!<docId>!m           -> DocMeta (JSON)
 *   v1!d!<docId>!u!<seq>     -> one Yjs update; seq is 12 hex digits so keys sort in append order
 * Document ids are base64url, so '!' and '~' never occur inside one.
 */
export const STORE_FORMAT = 1

export const keys = {
  format: 'format',
  meta: (docId: string) => `v1!d!${docId}!m`,
  update: (docId: string, seq: number) => `v1!d!${docId}!u!${seq.toString(16).padStart(12, '0')}`,
  updates: (docId: string) => ({ gte: `v1!d!${docId}!u!`, lt: `v1!d!${docId}!u!~` }),
  seqOf: (key: string) => parseInt(key.slice(key.lastIndexOf('!') + 1), 16),
  metas: { gte: 'v1!d!', lt: 'v1!d!~' },
  docIdOfMeta: (key: string) => (key.endsWith('!m') ? key.slice(5, -2) : undefined),
} as const
