import { useEffect } from 'react'
import type { SaveTracker } from '../session/save-tracker'

/** Closing or reloading the tab asks first while the server has not stored this browser's edits. */
export function useLeaveWarning(saves: SaveTracker): void {
  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!saves.hasUnsavedEdits()) return
      event.preventDefault()
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = ''
    }
    window.addEventListener('beforeunload', onBeforeUnload)
    return () => window.removeEventListener('beforeunload', onBeforeUnload)
  }, [saves])
}
