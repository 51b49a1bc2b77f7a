'use client'

import type { ChainedCommands, Editor } from '@tiptap/core'

const ACTIONS: readonly { label: string; text: string; run: (chain: ChainedCommands) => ChainedCommands }[] = [
  { label: 'Add row above', text: '+ Row above', run: (c) => c.addRowBefore() },
  { label: 'Add row below', text: '+ Row below', run: (c) => c.addRowAfter() },
  { label: 'Delete row', text: '− Row', run: (c) => c.deleteRow() },
  { label: 'Add column before', text: '+ Column before', run: (c) => c.addColumnBefore() },
  { label: 'Add column after', text: '+ Column after', run: (c) => c.addColumnAfter() },
  { label: 'Delete column', text: '− Column', run: (c) => c.deleteColumn() },
  { label: 'Delete table', text: 'Delete table', run: (c) => c.deleteTable() },
]

/** Shown while the caret is in a table. */
export function TableTools({ editor }: { editor: Editor }) {
  return (
    <div className="toolbar__group toolbar__group--table" role="group" aria-label="Table">
      {ACTIONS.map((action) => (
        <button
          key={action.label}
          type="button"
          className="toolbar__button toolbar__button--text"
          aria-label={action.label}
          title={action.label}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => action.run(editor.chain().focus()).run()}
        >
          {action.text}
        </button>
      ))}
    </div>
  )
}
