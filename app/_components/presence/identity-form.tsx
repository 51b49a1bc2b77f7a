'use client'

import { saveLocalUser, type LocalUser } from './local-user'
import './identity-form.css'

/** Changes are saved at once; the document page shares them through awareness. */
export function IdentityForm({ user }: { user: LocalUser }) {
  return (
    <form className="identity" onSubmit={(event) => event.preventDefault()}>
      <label>
        Your name
        <input
          value={user.name}
          maxLength={40}
          onChange={(event) => saveLocalUser({ ...user, name: event.target.value })}
        />
      </label>
      <label>
        Colour
        <input type="color" value={user.color} onChange={(event) => saveLocalUser({ ...user, color: event.target.value })} />
      </label>
    </form>
  )
}
