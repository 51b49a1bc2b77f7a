/** Who this browser is to others: kept in localStorage, shared through the awareness field `user`. */
export type LocalUser = { name: string; color: string }

const KEY = 'cowrite:user'

const ADJECTIVES = ['Curious', 'Brave', 'Calm', 'Clever', 'Gentle', 'Happy', 'Lively', 'Quiet', 'Swift', 'Witty', 'Bold', 'Sunny']
const ANIMALS = ['Otter', 'Fox', 'Heron', 'Badger', 'Lynx', 'Panda', 'Falcon', 'Koala', 'Marten', 'Puffin', 'Walrus', 'Gecko']
// Six-digit hex only: the caret extension ignores any other colour format.
const COLORS = ['#d9480f', '#c2255c', '#9c36b5', '#5f3dc4', '#1971c2', '#0c8599', '#2b8a3e', '#e67700']

const pick = <T,>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]

export function randomUser(): LocalUser {
  return { name: `${pick(ADJECTIVES)} ${pick(ANIMALS)}`, color: pick(COLORS) }
}

function parse(raw: string | null): LocalUser | null {
  try {
    const value: unknown = raw === null ? null : JSON.parse(raw)
    if (value && typeof value === 'object' && 'name' in value && 'color' in value) {
      const { name, color } = value
      if (typeof name === 'string' && typeof color === 'string' && /^#[0-9a-f]{6}$/i.test(color)) return { name, color }
    }
  } catch {
    // A corrupt entry is replaced by a fresh identity below.
  }
  return null
}

let cache: { raw: string | null; user: LocalUser } | undefined

/** The stored identity, created on first use; the same object until it changes (a valid snapshot). */
export function readLocalUser(): LocalUser {
  const raw = localStorage.getItem(KEY)
  if (cache && cache.raw === raw) return cache.user
  const user = parse(raw) ?? randomUser()
  const stored = JSON.stringify(user)
  if (raw !== stored) localStorage.setItem(KEY, stored)
  cache = { raw: stored, user }
  return user
}

const listeners = new Set<() => void>()

export function saveLocalUser(user: LocalUser): void {
  localStorage.setItem(KEY, JSON.stringify(user))
  for (const cb of listeners) cb()
}

/** Changes from this page and from other tabs. */
export function onLocalUserChange(cb: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === KEY) cb()
  }
  listeners.add(cb)
  window.addEventListener('storage', onStorage)
  return () => {
    listeners.delete(cb)
    window.removeEventListener('storage', onStorage)
  }
}

export function displayName(user: { name?: unknown }): string {
  return typeof user.name === 'string' && user.name.trim() ? user.name.trim() : 'Anonymous'
}
