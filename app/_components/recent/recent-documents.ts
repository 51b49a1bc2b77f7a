import type { Role } from '../../../lib/roles'

/** Documents opened in this browser, newest first; kept in localStorage, never sent anywhere. */
export type RecentDocument = { docId: string; path: string; role: Role; title: string; openedAt: number }

const KEY = 'cowrite:recent'
const LIMIT = 50
const none: readonly RecentDocument[] = []

function isRecent(value: unknown): value is RecentDocument {
  if (!value || typeof value !== 'object') return false
  const { docId, path, role, title, openedAt } = value as Record<string, unknown>
  return (
    typeof docId === 'string' &&
    typeof path === 'string' &&
    path.startsWith('/d/') &&
    (role === 'edit' || role === 'view') &&
    typeof title === 'string' &&
    typeof openedAt === 'number'
  )
}

let cache: { raw: string | null; list: readonly RecentDocument[] } = { raw: null, list: none }

/** The same array until the stored list changes (a valid useSyncExternalStore snapshot). */
export function readRecent(): readonly RecentDocument[] {
  const raw = localStorage.getItem(KEY)
  if (raw === cache.raw) return cache.list
  let list: readonly RecentDocument[] = none
  try {
    const value: unknown = raw === null ? [] : JSON.parse(raw)
    if (Array.isArray(value)) list = value.filter(isRecent)
  } catch {
    // A corrupt list starts over empty; it only ever held shortcuts.
  }
  cache = { raw, list }
  return list
}

const listeners = new Set<() => void>()

function write(list: readonly RecentDocument[]): void {
  const kept = list.slice(0, LIMIT)
  const raw = JSON.stringify(kept)
  localStorage.setItem(KEY, raw)
  // What this page wrote is what it reads next: no parsing it back.
  cache = { raw, list: kept }
  for (const cb of listeners) cb()
}

/**
 * Puts a document first, keeping the title it had on the list until the document's own arrives.
 * An edit link already on the list is kept when the same document is later opened through its
 * view link: the list must not lose the ability to edit.
 */
export function recordVisit(visit: Pick<RecentDocument, 'docId' | 'path' | 'role'>): void {
  const list = readRecent()
  const previous = list.find((entry) => entry.docId === visit.docId)
  const link = previous?.role === 'edit' && visit.role === 'view' ? previous : visit
  const entry = { docId: visit.docId, path: link.path, role: link.role, title: previous?.title ?? '', openedAt: Date.now() }
  write([entry, ...list.filter((other) => other.docId !== visit.docId)])
}

/** Keeps the list's title current while the document is open, without reordering it. */
export function updateRecentTitle(docId: string, title: string): void {
  const list = readRecent()
  if (!list.some((entry) => entry.docId === docId && entry.title !== title)) return
  write(list.map((entry) => (entry.docId === docId ? { ...entry, title } : entry)))
}

export function removeRecent(docId: string): void {
  write(readRecent().filter((entry) => entry.docId !== docId))
}

/** Changes from this page and from other tabs. */
export function onRecentChange(cb: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === KEY || event.key === null) cb()
  }
  listeners.add(cb)
  window.addEventListener('storage', onStorage)
  return () => {
    listeners.delete(cb)
    window.removeEventListener('storage', onStorage)
  }
}
