import type { Editor } from '@tiptap/core'
import type { EditorState } from '@tiptap/pm/state'
import { useEditorState } from '@tiptap/react'
import { yUndoPluginKey } from '@tiptap/y-tiptap'
import { useMemo } from 'react'
import { ALIGNMENTS, BLOCKS, type BlockStyle, MARKS, blockStyleOf } from './toolbar-commands'

export type ToolbarState = {
  /** Toggle id → whether it applies at the selection. */
  active: Readonly<Record<string, boolean>>
  blockStyle: BlockStyle
  link: boolean
  inTable: boolean
  canUndo: boolean
  canRedo: boolean
}

const TOGGLES = [...MARKS, ...BLOCKS, ...ALIGNMENTS]

function read(editor: Editor): ToolbarState {
  const undo: { hasUndoOps?: boolean; hasRedoOps?: boolean } | undefined = yUndoPluginKey.getState(editor.state)
  return {
    active: Object.fromEntries(TOGGLES.map((toggle) => [toggle.id, toggle.isActive(editor)])),
    blockStyle: blockStyleOf(editor),
    link: editor.isActive('link'),
    inTable: editor.isActive('table'),
    canUndo: undo?.hasUndoOps ?? false,
    canRedo: undo?.hasRedoOps ?? false,
  }
}

/**
 * What the toolbar shows. The selector runs after every editor transaction; most of them (carets
 * of others moving) change neither the document nor the selection, and reuse the last answer.
 * The toolbar re-renders only when a value changes, not on every keystroke.
 */
export function useToolbarState(editor: Editor): ToolbarState {
  const selector = useMemo(() => {
    let last: { state: Pick<EditorState, 'doc' | 'selection' | 'storedMarks'>; value: ToolbarState } | null = null
    return ({ editor: e }: { editor: Editor }): ToolbarState => {
      const { doc, selection, storedMarks } = e.state
      if (last && last.state.doc === doc && last.state.selection === selection && last.state.storedMarks === storedMarks) return last.value
      last = { state: { doc, selection, storedMarks }, value: read(e) }
      return last.value
    }
  }, [])
  return useEditorState({ editor, selector })
}
