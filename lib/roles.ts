export type Role = 'edit' | 'view'

export const ROLES: readonly Role[] = ['edit', 'view']
