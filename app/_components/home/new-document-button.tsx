'use client'

import { useRouter } from 'next/navigation'
import { useState } from 'react'

type State = { kind: 'idle' } | { kind: 'creating' } | { kind: 'failed'; message: string }

export function NewDocumentButton() {
  const router = useRouter()
  const [state, setState] = useState<State>({ kind: 'idle' })

  async function create() {
    setState({ kind: 'creating' })
    try {
      const response = await fetch('/api/docs', { method: 'POST' })
      if (response.status !== 201) throw new Error(`the server answered ${response.status}`)
      const { editUrl }: { editUrl: string } = await response.json()
      // Only the path: the configured public origin may differ from the one in the address bar.
      const url = new URL(editUrl)
      router.push(url.pathname + url.search)
    } catch (error) {
      setState({ kind: 'failed', message: error instanceof Error ? error.message : String(error) })
    }
  }

  return (
    <div className="new-document">
      <button type="button" className="button" onClick={create} disabled={state.kind === 'creating'}>
        {state.kind === 'creating' ? 'Creating…' : 'New document'}
      </button>
      {state.kind === 'failed' && <p role="alert">Could not create a document: {state.message}</p>}
    </div>
  )
}
