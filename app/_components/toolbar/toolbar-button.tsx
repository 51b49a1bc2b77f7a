'use client'

import { Icon, type IconName } from './icons'
import { ariaShortcut, shortcutLabel } from './toolbar-commands'
import { useIsMac } from './use-is-mac'

type Props = {
  label: string
  icon: IconName
  keys?: string
  /** Omitted for actions; true/false for toggles (aria-pressed). */
  pressed?: boolean
  disabled?: boolean
  onPress: () => void
}

/** An icon button; its name and shortcut show on hover and reach assistive technology. */
export function ToolbarButton({ label, icon, keys, pressed, disabled, onPress }: Props) {
  const mac = useIsMac()
  return (
    <button
      type="button"
      className="toolbar__button"
      aria-label={label}
      aria-pressed={pressed}
      aria-keyshortcuts={keys && ariaShortcut(keys, mac)}
      title={keys ? `${label} (${shortcutLabel(keys, mac)})` : label}
      disabled={disabled}
      // Keep the editor's selection: the command runs on it and focus goes back there.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onPress}
    >
      <Icon name={icon} />
    </button>
  )
}
