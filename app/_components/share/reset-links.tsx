'use client'

import { useEffect, useRef, useState } from 'react'
import type { DocLinks } from '../../../lib/links'
import type { Session } from '../session/open-session'
import { resetLinks } from './share-api'

type Step = { kind: 'idle' } | { kind: 'confirming' } | { kind: 'resetting' } | { kind: 'done' } | { kind: 'failed'; message: string }

/**
 * "Reset links", with a confirm step. This browser moves to the new edit link (same Y.Doc, new
 * token) and keeps editing; everyone on an old link is disconnected by the sync server.
 */
export function ResetLinks({ session, onReset }: { session: Session; onReset: (links: DocLinks) => void }) {
  const [step, setStep] = useState<Step>({ kind: 'idle' })
  const start = useRef<HTMLButtonElement>(null)
  const cancel = useRef<HTMLButtonElement>(null)
  const asking = step.kind === 'confirming' || step.kind === 'resetting'
  const wasAsking = useRef(false)

  // The buttons that had focus disappear between the steps; keep focus in the dialog, on the safe choice.
  useEffect(() => {
    if (asking && !wasAsking.current) cancel.current?.focus()
    if (!asking && wasAsking.current) start.current?.focus()
    wasAsking.current = asking
  }, [asking])

  async function reset() {
    setStep({ kind: 'resetting' })
    try {
      await session.relink(async (token) => {
        const links = await resetLinks(session.docId, token)
        onReset(links)
        return links.sync.editToken
      })
      setStep({ kind: 'done' })
    } catch (error) {
      setStep({ kind: 'failed', message: error instanceof Error ? error.message : String(error) })
    }
  }

  return (
    <section className="share__reset" aria-label="Reset links">
      {asking ? (
        <>
          <p>
            New edit and view links will be made. The current ones stop working at once, and everyone who opened the
            document through them is disconnected. You keep editing through the new edit link.
          </p>
          <div className="share__row">
            <button type="button" className="button button--danger" onClick={reset} disabled={step.kind === 'resetting'}>
              {step.kind === 'resetting' ? 'Resetting…' : 'Reset links'}
            </button>
            <button
              ref={cancel}
              type="button"
              className="button button--quiet"
              onClick={() => setStep({ kind: 'idle' })}
              disabled={step.kind === 'resetting'}
            >
              Cancel
            </button>
          </div>
        </>
      ) : (
        <>
          <p>Shared a link with the wrong person? Reset makes new links and stops the old ones.</p>
          <button ref={start} type="button" className="button button--quiet" onClick={() => setStep({ kind: 'confirming' })}>
            Reset links…
          </button>
        </>
      )}
      <p role="status" className="share__outcome">
        {step.kind === 'done' && 'Links reset. The old links no longer work; share the new ones above.'}
        {step.kind === 'failed' && `Could not reset the links: ${step.message}`}
      </p>
    </section>
  )
}
