'use client'

import type { Editor } from '@tiptap/core'
import { TextSelection } from '@tiptap/pm/state'
import { type FormEvent, useId, useState } from 'react'
import { useModalDialog } from '../share/use-modal-dialog'

/** "example.com" means https://example.com; anything with a scheme is taken as written. */
function normalize(input: string): string {
  const url = input.trim()
  if (!url || /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('#') || url.startsWith('/')) return url
  return `https://${url}`
}

/** The schemes a link may have; the link extension refuses javascript: and the like on its own too. */
const SAFE = /^(https?:|mailto:|tel:|#|\/)/i

/** Add, change, remove or open the link at the selection. */
export function LinkDialog({ editor, onClose }: { editor: Editor; onClose: () => void }) {
  const { ref, onKeyDown } = useModalDialog(onClose)
  const titleId = useId()
  const [current] = useState<string>(() => editor.getAttributes('link').href ?? '')
  const [needsText] = useState(() => !current && editor.state.selection.empty)
  const [href, setHref] = useState(current)
  const [text, setText] = useState('')
  const [refused, setRefused] = useState(false)

  function save(event: FormEvent) {
    event.preventDefault()
    const url = normalize(href)
    if (!url) return remove()
    if (!SAFE.test(url)) return setRefused(true)
    const chain = editor.chain().focus()
    if (needsText) chain.insertContent({ type: 'text', text: text.trim() || url, marks: [{ type: 'link', attrs: { href: url } }] }).run()
    // The caret goes after the link, as when typing on.
    else chain.extendMarkRange('link').setLink({ href: url }).command(({ tr }) => {
      tr.setSelection(TextSelection.create(tr.doc, tr.selection.to))
      return true
    }).run()
    onClose()
  }

  function remove() {
    editor.chain().focus().extendMarkRange('link').unsetLink().run()
    onClose()
  }

  return (
    <dialog ref={ref} className="dialog link-dialog" aria-labelledby={titleId} onKeyDown={onKeyDown}>
      <form onSubmit={save}>
        <h2 id={titleId}>{current ? 'Edit link' : 'Add link'}</h2>
        <label className="field">
          <span>Address</span>
          <input value={href} onChange={(e) => setHref(e.target.value)} inputMode="url" placeholder="https://example.com" autoFocus />
        </label>
        {needsText && (
          <label className="field">
            <span>Text</span>
            <input value={text} onChange={(e) => setText(e.target.value)} placeholder="The address itself" />
          </label>
        )}
        {refused && <p role="alert" className="dialog__error">That address cannot be used as a link.</p>}
        <div className="dialog__actions">
          {current && SAFE.test(current) && (
            <a className="button button--quiet" href={current} target="_blank" rel="noopener noreferrer">
              Open link
            </a>
          )}
          {current && (
            <button type="button" className="button button--quiet" onClick={remove}>
              Remove link
            </button>
          )}
          <button type="button" className="button button--quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button">
            Save
          </button>
        </div>
      </form>
    </dialog>
  )
}
