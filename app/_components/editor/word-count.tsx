'use client'

import type { Editor } from '@tiptap/core'
import { useCounts } from './use-counts'

const format = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`

export function WordCount({ editor }: { editor: Editor }) {
  const { words, characters } = useCounts(editor)
  return (
    <p className="word-count" aria-label="Word and character count">
      {format(words, 'word', 'words')} · {format(characters, 'character', 'characters')}
    </p>
  )
}
