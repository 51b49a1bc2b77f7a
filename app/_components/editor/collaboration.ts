import type { AnyExtension } from '@tiptap/core'
import { Collaboration } from '@tiptap/extension-collaboration'
import type { Plugin, PluginView } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'
import { IncrementalMapping } from './incremental-mapping'
import { localWrites } from './local-writes'
import { bindingOf } from './y-binding'

/**
 * The binding of the editor to `doc.getXmlFragment('default')`, tuned for long documents:
 * - the node cache survives remote changes (incremental-mapping.ts);
 * - y-tiptap writes the editor's document into Yjs after every editor transaction, even one that
 *   changed nothing but decorations (each remote caret move, and one after every keystroke for
 *   this browser's own caret); that walks the whole document, so it is skipped when the
 *   document is the same object as before;
 * - a keystroke writes only the block it changed (local-writes.ts).
 */
export function documentCollaboration(ydoc: Y.Doc): AnyExtension {
  return Collaboration.extend({
    addProseMirrorPlugins() {
      const plugins: Plugin[] = this.parent?.() ?? []
      const sync = plugins.find((plugin) => plugin.spec.key === ySyncPluginKey)
      const createView = sync?.spec.view
      if (sync && createView) {
        sync.spec.view = (view: EditorView): PluginView => {
          const inner = createView(view)
          // Swapped in after the first render: y-tiptap skips that render when given a cache.
          const binding = bindingOf(view.state)
          let mapping: IncrementalMapping<unknown, unknown> | undefined // disposed with the view
          if (binding) binding.mapping = mapping = new IncrementalMapping(ydoc, binding.mapping)
          const write = binding ? localWrites(binding) : (_: unknown, update: () => void) => update()
          return {
            update: (current, previous) => {
              if (current.state.doc !== previous.doc) write(previous.doc, () => inner.update?.(current, previous))
            },
            destroy: () => {
              mapping?.dispose()
              inner.destroy?.()
            },
          }
        }
      }
      return plugins
    },
  }).configure({ document: ydoc, field: 'default' })
}
