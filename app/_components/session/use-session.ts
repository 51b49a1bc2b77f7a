import { useEffect, useState } from 'react'
import { openSession, type Session, type SessionParams } from './open-session'

/** One Y.Doc and one provider per mounted document page; both are destroyed on unmount. */
export function useSession({ docId, token, role, syncUrl }: SessionParams): Session | null {
  const [session, setSession] = useState<Session | null>(null)
  useEffect(() => {
    const opened = openSession({ docId, token, role, syncUrl })
    setSession(opened)
    return () => {
      setSession(null)
      opened.destroy()
    }
  }, [docId, token, role, syncUrl])
  return session
}
