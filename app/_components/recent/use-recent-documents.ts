import { useSyncExternalStore } from 'react'
import { type RecentDocument, onRecentChange, readRecent } from './recent-documents'

/** Null during server rendering: the list lives in this browser only. */
export function useRecentDocuments(): readonly RecentDocument[] | null {
  return useSyncExternalStore(onRecentChange, readRecent, () => null)
}
