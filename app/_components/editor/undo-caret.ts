import { Extension } from '@tiptap/core'
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state'
import { yUndoPluginKey } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'
import { absolutePosition, bindingOf } from './y-binding'

type SavedSelection = { anchor: Y.RelativePosition; head: Y.RelativePosition }
type Popped = { stackItem: { meta: Map<unknown, SavedSelection | undefined> } }

/**
 * Undo and redo put the caret where the change was. y-tiptap keeps the selection with each undo
 * step but hands it over too late: Yjs announces a popped step after applying it, so the caret
 * stayed put and jumped at the next change from anyone. This applies it at once and clears the
 * leftover.
 */
export const UndoCaret = Extension.create({
  name: 'undoCaret',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('undoCaret'),
        view(view) {
          const undoManager: Y.UndoManager | undefined = yUndoPluginKey.getState(view.state)?.undoManager
          if (!undoManager) return {}
          const onPopped = ({ stackItem }: Popped) => {
            const binding = bindingOf(view.state)
            const saved = binding && stackItem.meta.get(binding)
            if (!binding || !saved) return
            // The leftover y-tiptap would apply at the next change (typed as never null; it may be).
            const leftover = binding as { beforeTransactionSelection: unknown }
            leftover.beforeTransactionSelection = null
            const anchor = absolutePosition(binding, saved.anchor)
            const head = absolutePosition(binding, saved.head)
            if (anchor === null || head === null) return
            const { doc } = view.state
            const clamp = (pos: number) => doc.resolve(Math.min(pos, doc.content.size))
            view.dispatch(view.state.tr.setSelection(TextSelection.between(clamp(anchor), clamp(head))).scrollIntoView())
          }
          undoManager.on('stack-item-popped', onPopped)
          return { destroy: () => undoManager.off('stack-item-popped', onPopped) }
        },
      }),
    ]
  },
})
