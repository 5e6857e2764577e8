// The signed-in staff member: user, permissions and the CSRF token from /api/v1/me.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { auth as authApi } from '@/api/endpoints'
import { isApiError, setCsrfToken } from '@/api/client'
import type { Me, Role, User } from '@/api/types'

export const useAuthStore = defineStore('auth', () => {
  const user = ref<User | null>(null)
  const permissions = ref<string[]>([])
  const loaded = ref(false)

  function apply(me: Me): void {
    user.value = me.user
    permissions.value = me.permissions
    setCsrfToken(me.csrf_token)
  }

  function clear(): void {
    user.value = null
    permissions.value = []
    setCsrfToken('')
  }

  let loading: Promise<void> | null = null

  /** Loads the session once (or again with force); a 401 just means "not signed in". Concurrent calls share one request. */
  function load(force = false): Promise<void> {
    if (loaded.value && !force) return Promise.resolve()
    if (loading && !force) return loading
    loading = (async () => {
      try {
        apply(await authApi.me())
      } catch (e) {
        if (isApiError(e) && e.status === 401) clear()
        else throw e
      } finally {
        loaded.value = true
        loading = null
      }
    })()
    return loading
  }

  async function login(email: string, password: string): Promise<void> {
    const r = await authApi.login(email, password)
    setCsrfToken(r.csrf_token)
    user.value = r.user
    apply(await authApi.me())
    loaded.value = true
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout()
    } finally {
      clear()
    }
  }

  const role = computed<Role | null>(() => user.value?.role ?? null)
  const signedIn = computed(() => user.value !== null)

  function can(permission: string): boolean {
    return permissions.value.includes(permission)
  }

  function hasRole(...roles: Role[]): boolean {
    return role.value !== null && roles.includes(role.value)
  }

  return { user, permissions, loaded, role, signedIn, load, login, logout, clear, can, hasRole, apply }
})
