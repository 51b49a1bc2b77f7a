'use client'

import type { Editor } from '@tiptap/core'
import { useRef, useState } from 'react'
import { BlockStyleSelect } from './block-style-select'
import { LinkDialog } from './link-dialog'
import { TableTools } from './table-tools'
import { ToolbarButton } from './toolbar-button'
import { ALIGNMENTS, BLOCKS, MARKS, type Toggle } from './toolbar-commands'
import { useLinkShortcut } from './use-link-shortcut'
import { useRovingFocus } from './use-roving-focus'
import { useToolbarState } from './use-toolbar-state'
import './toolbar.css'

/** Formatting for the text; one Tab stop, arrow keys move between its controls. */
export function Toolbar({ editor }: { editor: Editor }) {
  const state = useToolbarState(editor)
  const ref = useRef<HTMLDivElement>(null)
  const [linkOpen, setLinkOpen] = useState(false)
  const opened = useRef<{ from: Element | null; state: Editor['state'] } | null>(null)
  const openLink = () => {
    opened.current = { from: document.activeElement, state: editor.state }
    setLinkOpen(true)
  }
  // Back where the dialog was opened from: the Link button, or the text with the selection it had
  // (the browser's own focus restoring puts the caret at the start of the text).
  const closeLink = () => {
    setLinkOpen(false)
    const { from, state } = opened.current ?? { from: null, state: editor.state }
    if (from instanceof HTMLElement && from.isConnected && !editor.view.dom.contains(from)) return from.focus()
    if (editor.state.doc === state.doc) editor.commands.setTextSelection(state.selection)
    // ProseMirror's own focus writes its selection back into the page (the editor's focus command
    // does nothing when the text already has the browser's focus).
    editor.view.focus()
  }
  useRovingFocus(ref)
  useLinkShortcut(editor, openLink)

  const toggle = (t: Toggle) => (
    <ToolbarButton
      key={t.id}
      label={t.label}
      icon={t.icon}
      keys={t.keys}
      pressed={state.active[t.id]}
      onPress={() => t.run(editor.chain().focus()).run()}
    />
  )

  return (
    <>
    <div className="toolbar" role="toolbar" aria-label="Formatting" aria-controls="document-text" ref={ref}>
      <div className="toolbar__group">
        <ToolbarButton label="Undo" icon="undo" keys="Mod-Z" disabled={!state.canUndo} onPress={() => editor.chain().focus().undo().run()} />
        <ToolbarButton label="Redo" icon="redo" keys="Mod-Shift-Z" disabled={!state.canRedo} onPress={() => editor.chain().focus().redo().run()} />
      </div>
      <div className="toolbar__group">
        <BlockStyleSelect editor={editor} value={state.blockStyle} />
      </div>
      <div className="toolbar__group">
        {MARKS.map(toggle)}
        <ToolbarButton label="Link" icon="link" keys="Mod-K" pressed={state.link} onPress={openLink} />
      </div>
      <div className="toolbar__group">{BLOCKS.map(toggle)}</div>
      <div className="toolbar__group">
        <ToolbarButton label="Horizontal rule" icon="horizontalRule" onPress={() => editor.chain().focus().setHorizontalRule().run()} />
        <ToolbarButton
          label="Insert table"
          icon="table"
          disabled={state.inTable}
          onPress={() => editor.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run()}
        />
      </div>
      <div className="toolbar__group">{ALIGNMENTS.map(toggle)}</div>
      {state.inTable && <TableTools editor={editor} />}
    </div>
    {linkOpen && <LinkDialog editor={editor} onClose={closeLink} />}
    </>
  )
}
