import type { Role } from '../lib/roles'

type CloseDef = { readonly code: number; readonly reason: string }

/** One client's WebSocket as the rooms see it; the transport implements it over `ws`. */
export interface Connection {
  readonly id: number
  readonly docId: string
  readonly role: Role
  /** Link generation of the token the connection was authorized with. */
  readonly generation: number
  /** Awareness client ids this connection has published, removed for everyone when it closes (null until it publishes one). */
  awarenessIds: Set<number> | null
  send(message: Uint8Array): void
  close(why: CloseDef): void
}

/** Transaction origins, so the update handler can decide what to persist and whom to relay to. */
export type UpdateOrigin = { source: 'peer'; conn: Connection } | { source: 'store' }

export const STORE_ORIGIN: UpdateOrigin = Object.freeze({ source: 'store' })
