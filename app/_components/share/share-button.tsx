'use client'

import { useState } from 'react'
import type { Session } from '../session/open-session'
import { ShareDialog } from './share-dialog'

/** The topbar's Share button; the dialog is mounted only while open, so its links are fetched fresh each time. */
export function ShareButton({ session }: { session: Session }) {
  const [open, setOpen] = useState(false)
  return (
    <>
      <button type="button" className="button button--small" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Share
      </button>
      {open && <ShareDialog session={session} onClose={() => setOpen(false)} />}
    </>
  )
}
