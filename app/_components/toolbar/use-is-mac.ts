import { useSyncExternalStore } from 'react'

const never = () => () => {}

/** Shortcuts read ⌘ on Apple platforms and Ctrl elsewhere; Ctrl while rendering on the server. */
export function useIsMac(): boolean {
  return useSyncExternalStore(
    never,
    () => /Mac|iPhone|iPad/.test(navigator.platform),
    () => false,
  )
}
