import { useSyncExternalStore } from 'react'
import { onLocalUserChange, readLocalUser, type LocalUser } from './local-user'

/** Null during server rendering; the identity lives in the browser only. */
export function useLocalUser(): LocalUser | null {
  return useSyncExternalStore(onLocalUserChange, readLocalUser, () => null)
}
