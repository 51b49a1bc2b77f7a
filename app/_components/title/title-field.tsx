'use client'

import type { Editor } from '@tiptap/core'
import { Selection } from '@tiptap/pm/state'
import type * as Y from 'yjs'
import { UNTITLED, setTitle } from './use-title'

const MAX_LENGTH = 200

/** `title`: the document's current title (useTitle), which the page holds for the tab and the recent list too. */
type Props = { ydoc: Y.Doc; title: string; editor: Editor | null; editable: boolean }

/** The document's title above its text, synced live; Enter or ↓ moves on into the text. */
export function TitleField({ ydoc, title, editor, editable }: Props) {
  return (
    <input
      className="title-field"
      aria-label="Title"
      placeholder={UNTITLED}
      value={title}
      maxLength={MAX_LENGTH}
      readOnly={!editable}
      spellCheck
      onChange={(event) => setTitle(ydoc, event.target.value)}
      onKeyDown={(event) => {
        if ((event.key === 'Enter' || event.key === 'ArrowDown') && editor) {
          event.preventDefault()
          // At once, not on the next frame (the editor's focus command): the next key must land in the text.
          editor.commands.command(({ tr }) => {
            tr.setSelection(Selection.atStart(tr.doc))
            return true
          })
          editor.view.focus()
        }
      }}
    />
  )
}
