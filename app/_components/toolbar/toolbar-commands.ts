import type { ChainedCommands, Editor } from '@tiptap/core'
import type { IconName } from './icons'

/** A toolbar toggle: its accessible name, shortcut (ProseMirror notation), and what it does. */
export type Toggle = {
  id: string
  label: string
  keys: string
  icon: IconName
  isActive: (editor: Editor) => boolean
  run: (chain: ChainedCommands) => ChainedCommands
}

/** The toggle of the mark or node `id` (TipTap's name for it, and its icon's). */
const named = (id: IconName, label: string, keys: string, run: Toggle['run']): Toggle => ({
  id,
  label,
  keys,
  icon: id,
  isActive: (e) => e.isActive(id),
  run,
})

export const MARKS: readonly Toggle[] = [
  named('bold', 'Bold', 'Mod-B', (c) => c.toggleBold()),
  named('italic', 'Italic', 'Mod-I', (c) => c.toggleItalic()),
  named('underline', 'Underline', 'Mod-U', (c) => c.toggleUnderline()),
  named('strike', 'Strikethrough', 'Mod-Shift-S', (c) => c.toggleStrike()),
  named('code', 'Inline code', 'Mod-E', (c) => c.toggleCode()),
  named('highlight', 'Highlight', 'Mod-Shift-H', (c) => c.toggleHighlight()),
]

export const BLOCKS: readonly Toggle[] = [
  named('bulletList', 'Bulleted list', 'Mod-Shift-8', (c) => c.toggleBulletList()),
  named('orderedList', 'Numbered list', 'Mod-Shift-7', (c) => c.toggleOrderedList()),
  named('taskList', 'Task list', 'Mod-Shift-9', (c) => c.toggleTaskList()),
  named('blockquote', 'Quote', 'Mod-Shift-B', (c) => c.toggleBlockquote()),
  named('codeBlock', 'Code block', 'Mod-Alt-C', (c) => c.toggleCodeBlock()),
]

const align = (value: 'left' | 'center' | 'right' | 'justify', label: string, keys: string): Toggle => ({
  id: `align-${value}`,
  label,
  keys,
  icon: `align-${value}`,
  // Text with no alignment set is left-aligned.
  isActive: (e) => e.isActive({ textAlign: value }) || (value === 'left' && !['center', 'right', 'justify'].some((v) => e.isActive({ textAlign: v }))),
  run: (c) => c.setTextAlign(value),
})

export const ALIGNMENTS: readonly Toggle[] = [
  align('left', 'Align left', 'Mod-Shift-L'),
  align('center', 'Align centre', 'Mod-Shift-E'),
  align('right', 'Align right', 'Mod-Shift-R'),
  align('justify', 'Justify', 'Mod-Shift-J'),
]

export type BlockStyle = 'paragraph' | 'h1' | 'h2' | 'h3' | 'other'

export const BLOCK_STYLES: readonly { value: Exclude<BlockStyle, 'other'>; label: string; keys: string }[] = [
  { value: 'paragraph', label: 'Paragraph', keys: 'Mod-Alt-0' },
  { value: 'h1', label: 'Heading 1', keys: 'Mod-Alt-1' },
  { value: 'h2', label: 'Heading 2', keys: 'Mod-Alt-2' },
  { value: 'h3', label: 'Heading 3', keys: 'Mod-Alt-3' },
]

export function blockStyleOf(editor: Editor): BlockStyle {
  if (editor.isActive('paragraph')) return 'paragraph'
  for (const level of [1, 2, 3] as const) if (editor.isActive('heading', { level })) return `h${level}`
  return 'other'
}

export function setBlockStyle(editor: Editor, style: Exclude<BlockStyle, 'other'>): void {
  const chain = editor.chain().focus()
  if (style === 'paragraph') chain.setParagraph().run()
  else chain.setHeading({ level: Number(style.slice(1)) as 1 | 2 | 3 }).run()
}

/** "Mod-Shift-S" as this platform writes it: "Ctrl+Shift+S" or "⌘⇧S". */
export function shortcutLabel(keys: string, mac: boolean): string {
  const parts = keys.split('-')
  if (!mac) return parts.map((p) => (p === 'Mod' ? 'Ctrl' : p)).join('+')
  const symbols: Record<string, string> = { Mod: '⌘', Shift: '⇧', Alt: '⌥' }
  return parts.map((p) => symbols[p] ?? p).join('')
}

/** The same, for aria-keyshortcuts ("Control+Shift+S"). */
export function ariaShortcut(keys: string, mac: boolean): string {
  return keys
    .split('-')
    .map((p) => (p === 'Mod' ? (mac ? 'Meta' : 'Control') : p))
    .join('+')
}
