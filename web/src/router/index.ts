// Routes and the role guard. Staff pages need a session (GET /api/v1/me) and, where stated, a permission
// or a role; the candidate portal (/interview/<token>, the path of the server's invitation link) is public.
import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteRecordRaw } from 'vue-router'
import type { Role } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { setUnauthenticatedHandler } from '@/api/client'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    /** A permission from /me the page needs (e.g. "applications:read"). */
    permission?: string
    /** Roles allowed; absent means any signed-in staff member. */
    roles?: Role[]
    /** i18n key of the page title. */
    title?: string
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/staff/LoginView.vue'), meta: { public: true, title: 'login.title' } },
  {
    path: '/interview/:token',
    name: 'interview',
    component: () => import('@/views/candidate/InterviewView.vue'),
    meta: { public: true, title: 'portal.title' },
  },
  {
    path: '/interview/:token/report',
    name: 'interview-report',
    component: () => import('@/views/candidate/ReportView.vue'),
    meta: { public: true, title: 'report.title' },
  },
  {
    path: '/',
    component: () => import('@/layouts/StaffLayout.vue'),
    children: [
      { path: '', name: 'dashboard', component: () => import('@/views/staff/DashboardView.vue'), meta: { title: 'dashboard.title' } },
      {
        path: 'applications',
        name: 'applications',
        component: () => import('@/views/staff/ApplicationsView.vue'),
        meta: { permission: 'applications:read', title: 'applications.title' },
      },
      {
        path: 'applications/:id',
        name: 'application',
        component: () => import('@/views/staff/ApplicationView.vue'),
        meta: { permission: 'applications:read', title: 'application.title' },
      },
      {
        path: 'compare',
        name: 'compare',
        component: () => import('@/views/staff/CompareView.vue'),
        meta: { permission: 'applications:read', title: 'compare.title' },
      },
      {
        path: 'candidates',
        name: 'candidates',
        component: () => import('@/views/staff/CandidatesView.vue'),
        meta: { permission: 'candidates:read', title: 'candidates.title' },
      },
      {
        path: 'talent-pool',
        name: 'talent-pool',
        component: () => import('@/views/staff/TalentPoolView.vue'),
        meta: { permission: 'applications:read', title: 'talentPool.title' },
      },
      { path: 'jobs', name: 'jobs', component: () => import('@/views/staff/JobsView.vue'), meta: { permission: 'jobs:read', title: 'jobs.title' } },
      {
        path: 'jobs/new',
        name: 'job-new',
        component: () => import('@/views/staff/JobEditView.vue'),
        meta: { permission: 'jobs:write', title: 'jobs.create' },
      },
      {
        path: 'jobs/:id',
        name: 'job',
        component: () => import('@/views/staff/JobEditView.vue'),
        meta: { permission: 'jobs:read', title: 'jobs.title' },
      },
      {
        path: 'questions',
        name: 'questions',
        component: () => import('@/views/staff/QuestionsView.vue'),
        meta: { permission: 'questions:read', title: 'questions.title' },
      },
      {
        path: 'reviews',
        name: 'reviews',
        component: () => import('@/views/staff/ReviewsView.vue'),
        meta: { permission: 'applications:decide', title: 'reviews.title' },
      },
      { path: 'tasks', name: 'tasks', component: () => import('@/views/staff/TasksView.vue'), meta: { permission: 'applications:read', title: 'tasks.title' } },
      {
        path: 'settings/users',
        name: 'users',
        component: () => import('@/views/settings/UsersView.vue'),
        meta: { permission: 'users:read', title: 'users.title' },
      },
      {
        path: 'settings/departments',
        name: 'departments',
        component: () => import('@/views/settings/DepartmentsView.vue'),
        meta: { permission: 'departments:read', title: 'departments.title' },
      },
      {
        path: 'settings/tokens',
        name: 'tokens',
        component: () => import('@/views/settings/TokensView.vue'),
        meta: { permission: 'tokens:manage', title: 'tokens.title' },
      },
      {
        path: 'settings/courses',
        name: 'courses',
        component: () => import('@/views/settings/CoursesView.vue'),
        meta: { title: 'courses.title' },
      },
      {
        path: 'audit-log',
        name: 'audit',
        component: () => import('@/views/settings/AuditLogView.vue'),
        meta: { permission: 'audit:read', roles: ['admin', 'auditor'], title: 'audit.title' },
      },
      {
        path: 'questions/:id/models',
        name: 'question-models',
        component: () => import('@/views/automation/ScoringModelsView.vue'),
        meta: { permission: 'questions:read', title: 'scoringModels.title' },
      },
      {
        path: 'automation/rules',
        name: 'automation-rules',
        component: () => import('@/views/automation/AutomationRulesView.vue'),
        meta: { permission: 'jobs:read', title: 'automation.title' },
      },
      {
        path: 'automation/background-jobs',
        name: 'background-jobs',
        component: () => import('@/views/automation/BackgroundJobsView.vue'),
        meta: { permission: 'queue:read', title: 'jobsQueue.title' },
      },
      {
        path: 'settings/templates',
        name: 'message-templates',
        component: () => import('@/views/automation/MessageTemplatesView.vue'),
        meta: { permission: 'templates:manage', title: 'templates.title' },
      },
      {
        path: 'settings/channels',
        name: 'notification-channels',
        component: () => import('@/views/automation/NotificationChannelsView.vue'),
        meta: { permission: 'integrations:manage', title: 'channels.title' },
      },
      {
        path: 'settings/webhooks',
        name: 'webhooks',
        component: () => import('@/views/automation/WebhooksView.vue'),
        meta: { permission: 'integrations:manage', title: 'webhooks.title' },
      },
      { path: 'forbidden', name: 'forbidden', component: () => import('@/views/staff/ForbiddenView.vue'), meta: { title: 'forbidden.title' } },
    ],
  },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue'), meta: { public: true, title: 'notFound.title' } },
]

export interface GuardSession {
  signedIn: boolean
  role: Role | null
  permissions: string[]
}

/** The guard's decision for a route, given the session; null means "go ahead". Pure, for unit tests. */
export function guardDecision(to: Pick<RouteLocationNormalized, 'meta' | 'fullPath' | 'name'>, s: GuardSession) {
  if (to.meta.public) return null
  if (!s.signedIn) return { name: 'login', query: { redirect: to.fullPath } }
  if (to.name === 'forbidden') return null
  if (to.meta.permission && !s.permissions.includes(to.meta.permission)) return { name: 'forbidden' }
  if (to.meta.roles && (s.role === null || !to.meta.roles.includes(s.role))) return { name: 'forbidden' }
  return null
}

export function createAppRouter() {
  const router = createRouter({ history: createWebHistory(), routes, scrollBehavior: () => ({ top: 0 }) })
  router.beforeEach(async (to) => {
    if (to.meta.public) return true
    // Fetch the page's code while the session is checked (the router would only start after the guard).
    for (const r of to.matched) {
      const c = r.components?.default
      if (typeof c === 'function') void (c as () => Promise<unknown>)().catch(() => undefined)
    }
    const auth = useAuthStore()
    await auth.load()
    return guardDecision(to, { signedIn: auth.signedIn, role: auth.role, permissions: auth.permissions }) ?? true
  })
  setUnauthenticatedHandler(() => {
    const auth = useAuthStore()
    if (!auth.signedIn) return
    auth.clear()
    const current = router.currentRoute.value
    if (!current.meta.public) void router.push({ name: 'login', query: { redirect: current.fullPath } })
  })
  return router
}
