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

export const MARKS: readonly Toggle[] = [
  { id: 'bold', label: 'Bold', keys: 'Mod-B', icon: 'bold', isActive: (e) => e.isActive('bold'), run: (c) => c.toggleBold() },
  { id: 'italic', label: 'Italic', keys: 'Mod-I', icon: 'italic', isActive: (e) => e.isActive('italic'), run: (c) => c.toggleItalic() },
  { id: 'underline', label: 'Underline', keys: 'Mod-U', icon: 'underline', isActive: (e) => e.isActive('underline'), run: (c) => c.toggleUnderline() },
  { id: 'strike', label: 'Strikethrough', keys: 'Mod-Shift-S', icon: 'strike', isActive: (e) => e.isActive('strike'), run: (c) => c.toggleStrike() },
  { id: 'code', label: 'Inline code', keys: 'Mod-E', icon: 'code', isActive: (e) => e.isActive('code'), run: (c) => c.toggleCode() },
  { id: 'highlight', label: 'Highlight', keys: 'Mod-Shift-H', icon: 'highlight', isActive: (e) => e.isActive('highlight'), run: (c) => c.toggleHighlight() },
]

export const BLOCKS: readonly Toggle[] = [
  { id: 'bulletList', label: 'Bulleted list', keys: 'Mod-Shift-8', icon: 'bulletList', isActive: (e) => e.isActive('bulletList'), run: (c) => c.toggleBulletList() },
  { id: 'orderedList', label: 'Numbered list', keys: 'Mod-Shift-7', icon: 'orderedList', isActive: (e) => e.isActive('orderedList'), run: (c) => c.toggleOrderedList() },
  { id: 'taskList', label: 'Task list', keys: 'Mod-Shift-9', icon: 'taskList', isActive: (e) => e.isActive('taskList'), run: (c) => c.toggleTaskList() },
  { id: 'blockquote', label: 'Quote', keys: 'Mod-Shift-B', icon: 'blockquote', isActive: (e) => e.isActive('blockquote'), run: (c) => c.toggleBlockquote() },
  { id: 'codeBlock', label: 'Code block', keys: 'Mod-Alt-C', icon: 'codeBlock', isActive: (e) => e.isActive('codeBlock'), run: (c) => c.toggleCodeBlock() },
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
