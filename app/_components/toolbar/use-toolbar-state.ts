import type { Editor } from '@tiptap/core'
import { type Attrs, Mark, type NodeType } from '@tiptap/pm/model'
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
 * What read() depends on when the selection is a caret: the node types and attributes around it,
 * the marks there, and the undo stacks (isActive on an empty selection looks at nothing else).
 * Typing inside a paragraph changes none of them. Null for a range selection.
 */
type CaretContext = {
  /** The selection's class: a text caret and a gap cursor differ. */
  kind: unknown
  nodes: readonly { type: NodeType; attrs: Attrs }[]
  marks: readonly Mark[]
  storedMarks: readonly Mark[] | null
  canUndo: boolean
  canRedo: boolean
}

function caretContext(state: EditorState): CaretContext | null {
  const { selection, storedMarks } = state
  if (!selection.empty) return null
  const { $from } = selection
  const nodes = []
  for (let depth = 0; depth <= $from.depth; depth++) nodes.push({ type: $from.node(depth).type, attrs: $from.node(depth).attrs })
  const undo: { hasUndoOps?: boolean; hasRedoOps?: boolean } | undefined = yUndoPluginKey.getState(state)
  return {
    kind: selection.constructor,
    nodes,
    marks: $from.marks(),
    storedMarks,
    canUndo: undo?.hasUndoOps ?? false,
    canRedo: undo?.hasRedoOps ?? false,
  }
}

const sameAttrs = (a: Attrs, b: Attrs) => a === b || (Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => a[k] === b[k]))

function sameContext(a: CaretContext, b: CaretContext): boolean {
  return (
    a.kind === b.kind &&
    a.canUndo === b.canUndo &&
    a.canRedo === b.canRedo &&
    a.nodes.length === b.nodes.length &&
    a.nodes.every((node, i) => node.type === b.nodes[i].type && sameAttrs(node.attrs, b.nodes[i].attrs)) &&
    Mark.sameSet(a.marks, b.marks) &&
    (a.storedMarks === b.storedMarks || (!!a.storedMarks && !!b.storedMarks && Mark.sameSet(a.storedMarks, b.storedMarks)))
  )
}

/**
 * What the toolbar shows. The selector runs after every editor transaction; most of them (carets
 * of others moving) change neither the document nor the selection, and typing moves the caret
 * within the same context: both reuse the last answer instead of asking ~25 isActive questions
 * per keystroke. The toolbar re-renders only when a value changes.
 */
export function useToolbarState(editor: Editor): ToolbarState {
  const selector = useMemo(() => {
    let last: { state: Pick<EditorState, 'doc' | 'selection' | 'storedMarks'>; context: CaretContext | null; value: ToolbarState } | null = null
    return ({ editor: e }: { editor: Editor }): ToolbarState => {
      const { doc, selection, storedMarks } = e.state
      if (last && last.state.doc === doc && last.state.selection === selection && last.state.storedMarks === storedMarks) return last.value
      const context = caretContext(e.state)
      const value = last?.context && context && sameContext(last.context, context) ? last.value : read(e)
      last = { state: { doc, selection, storedMarks }, context, value }
      return value
    }
  }, [])
  return useEditorState({ editor, selector })
}
