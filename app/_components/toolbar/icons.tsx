/** The toolbar's icons: 24×24 strokes in the text colour. */
const PATHS = {
  undo: 'M9 14 4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11',
  redo: 'M15 14l5-5-5-5M20 9H9.5a5.5 5.5 0 0 0 0 11H13',
  bold: 'M7 5h6a3.5 3.5 0 0 1 0 7H7zM7 12h7a3.5 3.5 0 0 1 0 7H7z',
  italic: 'M10 5h8M6 19h8M14 5l-4 14',
  underline: 'M7 4v7a5 5 0 0 0 10 0V4M5 20h14',
  strike: 'M4 12h16M16.5 7.5C16 6 14.3 5 12 5 9.5 5 7.8 6.3 7.8 8c0 1.3.8 2.2 2.4 2.8M8 16.3C8.6 18 10.2 19 12.3 19c2.5 0 4.2-1.2 4.2-3 0-.6-.2-1.2-.5-1.6',
  code: 'M9 7l-5 5 5 5M15 7l5 5-5 5',
  highlight: 'M14.5 4.5l5 5-8 8h-5v-5zM4 21h16',
  link: 'M10 13.5a4 4 0 0 0 6 .4l2.6-2.6a4 4 0 0 0-5.7-5.7L11.5 7M14 10.5a4 4 0 0 0-6-.4l-2.6 2.6a4 4 0 0 0 5.7 5.7l1.4-1.4',
  bulletList: 'M10 6h10M10 12h10M10 18h10M5 5.2a.8.8 0 1 0 0 1.6.8.8 0 1 0 0-1.6M5 11.2a.8.8 0 1 0 0 1.6.8.8 0 1 0 0-1.6M5 17.2a.8.8 0 1 0 0 1.6.8.8 0 1 0 0-1.6',
  orderedList: 'M10 6h10M10 12h10M10 18h10M4 4.5 5.5 4v5M3.8 14.2c.3-.6.8-.9 1.4-.9.8 0 1.3.5 1.3 1.1 0 .9-1.3 1.6-2.7 3.1h2.8',
  taskList: 'M3.5 4.5h4v4h-4zM3.5 15.5l1.5 1.5 3-3.5M11 6.5h9.5M11 16h9.5',
  blockquote: 'M4 5v14M9 8h11M9 12h11M9 16h7',
  codeBlock: 'M4 4h16a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1zM10 9l-3 3 3 3M14 9l3 3-3 3',
  horizontalRule: 'M3 12h18M7 6.5h10M7 17.5h10',
  table: 'M4 4h16a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1zM3 10h18M3 15h18M9 10v10M15 10v10',
  'align-left': 'M4 6h16M4 10h10M4 14h16M4 18h10',
  'align-center': 'M4 6h16M7 10h10M4 14h16M7 18h10',
  'align-right': 'M4 6h16M10 10h10M4 14h16M10 18h10',
  'align-justify': 'M4 6h16M4 10h16M4 14h16M4 18h16',
} as const

export type IconName = keyof typeof PATHS

export function Icon({ name }: { name: IconName }) {
  return (
    <svg
      className="icon"
      viewBox="0 0 24 24"
      width="18"
      height="18"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  )
}
