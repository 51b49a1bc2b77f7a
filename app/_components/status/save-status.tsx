'use client'

import type { SaveTracker } from '../session/save-tracker'
import { useLeaveWarning } from './use-leave-warning'
import { useSaveState } from './use-save-state'
import './save-status.css'

const LABELS = {
  saving: 'Saving…',
  saved: 'Saved',
  offline: 'Offline – changes kept on this device',
} as const

/** "Saved" means stored by the server (its acknowledgement), never merely sent. */
export function SaveStatus({ saves }: { saves: SaveTracker }) {
  const state = useSaveState(saves)
  useLeaveWarning(saves)
  return (
    <span className={`save-status save-status--${state}`} role="status" aria-label="Save status">
      {LABELS[state]}
    </span>
  )
}
