'use client'

import type { Editor } from '@tiptap/core'
import { BLOCK_STYLES, type BlockStyle, setBlockStyle, shortcutLabel } from './toolbar-commands'
import { useIsMac } from './use-is-mac'

/** Paragraph or heading 1–3 for the block at the caret. */
export function BlockStyleSelect({ editor, value }: { editor: Editor; value: BlockStyle }) {
  const mac = useIsMac()
  return (
    <select
      className="toolbar__select"
      aria-label="Text style"
      title={BLOCK_STYLES.map((s) => `${s.label}: ${shortcutLabel(s.keys, mac)}`).join('\n')}
      value={value}
      onChange={(event) => {
        const style = BLOCK_STYLES.find((s) => s.value === event.target.value)
        if (style) setBlockStyle(editor, style.value)
      }}
    >
      {value === 'other' && <option value="other">—</option>}
      {BLOCK_STYLES.map((style) => (
        <option key={style.value} value={style.value}>
          {style.label}
        </option>
      ))}
    </select>
  )
}
