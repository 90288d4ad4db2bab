import { createRouter, createWebHistory } from 'vue-router'
import { session, loadSession, can } from '../api/session.js'
import { P } from '../lib/permissions.js'
import MainLayout from '../layouts/MainLayout.vue'
import LoginView from '../views/auth/LoginView.vue'

// meta.perm: permission needed (string or any-of array); meta.crumbs: i18n keys of the
// breadcrumb trail (the last one is the page itself).
const reviewCrumbs = (last) => [{ key: 'nav.reviewBoard', to: '/reviews' }, { key: last }]
const meetingCrumbs = (last) => [{ key: 'nav.meetings', to: '/meetings' }, { key: last }]
const findingCrumbs = (last) => [{ key: 'nav.findings', to: '/findings' }, { key: last }]
const warningCrumbs = (last) => [{ key: 'nav.warnings', to: '/warnings' }, { key: last }]

const routes = [
  { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
  // Pages for the public: no session, and no call to the session endpoints (meta.anonymous).
  {
    path: '/public/results',
    name: 'public-results',
    component: () => import('../views/public/PublicResults.vue'),
    meta: { public: true, anonymous: true },
  },
  {
    path: '/public/reviews/:id(\\d+)',
    name: 'public-notice',
    component: () => import('../views/public/PublicNotice.vue'),
    meta: { public: true, anonymous: true },
  },
  // Full-screen pages without the menu: the member's voting page (phones) and the tally screen.
  {
    path: '/vote/:sheetId(\\d+)?',
    name: 'vote',
    component: () => import('../views/vote/VotePage.vue'),
    meta: { perm: P.voteCast },
  },
  {
    path: '/tally/:sheetId(\\d+)',
    name: 'tally',
    component: () => import('../views/vote/TallyScreen.vue'),
    meta: { perm: [P.reviewRead, P.voteCast] },
  },
  {
    path: '/',
    component: MainLayout,
    children: [
      { path: '', name: 'home', component: () => import('../views/common/HomeRedirect.vue') },
      {
        path: 'orgs',
        name: 'orgs',
        component: () => import('../views/orgs/OrgTreeView.vue'),
        meta: { perm: P.orgRead, crumbs: [{ key: 'nav.orgs' }] },
      },
      {
        path: 'people',
        name: 'people',
        component: () => import('../views/people/PeopleList.vue'),
        meta: { perm: P.personRead, crumbs: [{ key: 'nav.people' }] },
      },
      {
        path: 'people/new',
        name: 'person-new',
        component: () => import('../views/people/PersonForm.vue'),
        meta: { perm: P.personWrite, crumbs: [{ key: 'nav.people', to: '/people' }, { key: 'person.new' }] },
      },
      {
        path: 'people/:id(\\d+)',
        name: 'person',
        component: () => import('../views/people/PersonDetail.vue'),
        meta: { perm: P.personRead, crumbs: [{ key: 'nav.people', to: '/people' }, { key: 'person.detail' }] },
      },
      {
        path: 'people/:id(\\d+)/edit',
        name: 'person-edit',
        component: () => import('../views/people/PersonForm.vue'),
        meta: { perm: P.personWrite, crumbs: [{ key: 'nav.people', to: '/people' }, { key: 'person.edit' }] },
      },
      {
        path: 'appointments',
        name: 'appointments',
        component: () => import('../views/appointments/AppointmentList.vue'),
        meta: { perm: P.appointmentRead, crumbs: [{ key: 'nav.appointments' }] },
      },
      {
        path: 'appointments/new',
        name: 'appointment-new',
        component: () => import('../views/appointments/AppointmentForm.vue'),
        meta: {
          perm: P.appointmentWrite,
          crumbs: [{ key: 'nav.appointments', to: '/appointments' }, { key: 'appointment.new' }],
        },
      },
      {
        path: 'appointments/:id(\\d+)',
        name: 'appointment',
        component: () => import('../views/appointments/AppointmentDetail.vue'),
        meta: {
          perm: P.appointmentRead,
          crumbs: [{ key: 'nav.appointments', to: '/appointments' }, { key: 'appointment.detail' }],
        },
      },
      {
        path: 'audit',
        name: 'audit',
        component: () => import('../views/audit/AuditLogView.vue'),
        meta: { perm: P.auditRead, crumbs: [{ key: 'nav.audit' }] },
      },
      {
        path: 'users',
        name: 'users',
        component: () => import('../views/users/UsersView.vue'),
        meta: { perm: P.userRead, crumbs: [{ key: 'nav.users' }] },
      },
      {
        path: 'reviews/plan',
        name: 'review-plan',
        component: () => import('../views/reviews/ReviewPlan.vue'),
        meta: { perm: P.reviewRead, crumbs: [{ key: 'nav.reviewPlan' }] },
      },
      {
        path: 'reviews',
        name: 'reviews',
        component: () => import('../views/reviews/ReviewBoard.vue'),
        meta: { perm: P.reviewRead, crumbs: [{ key: 'nav.reviewBoard' }] },
      },
      {
        path: 'reviews/:id(\\d+)',
        name: 'review',
        component: () => import('../views/reviews/ReviewDetail.vue'),
        meta: { perm: P.reviewRead, crumbs: reviewCrumbs('review.detail') },
      },
      {
        path: 'meetings',
        name: 'meetings',
        component: () => import('../views/meetings/MeetingList.vue'),
        meta: { perm: P.reviewRead, crumbs: [{ key: 'nav.meetings' }] },
      },
      {
        path: 'meetings/:id(\\d+)',
        name: 'meeting',
        component: () => import('../views/meetings/MeetingDetail.vue'),
        meta: { perm: P.reviewRead, crumbs: meetingCrumbs('meeting.detail') },
      },
      {
        path: 'findings',
        name: 'findings',
        component: () => import('../views/findings/FindingList.vue'),
        meta: { perm: P.findingRead, crumbs: [{ key: 'nav.findings' }] },
      },
      {
        path: 'findings/:id(\\d+)',
        name: 'finding',
        component: () => import('../views/findings/FindingDetail.vue'),
        meta: { perm: P.findingRead, crumbs: findingCrumbs('finding.detail') },
      },
      {
        path: 'stats',
        name: 'stats',
        component: () => import('../views/stats/ReviewStats.vue'),
        meta: { perm: P.reviewRead, crumbs: [{ key: 'nav.stats' }] },
      },
      // 智能比对预警 (monitoring)
      {
        path: 'datasets',
        name: 'datasets',
        component: () => import('../views/monitor/DatasetsView.vue'),
        meta: { perm: P.datasetRead, crumbs: [{ key: 'nav.datasets' }] },
      },
      {
        path: 'rules',
        name: 'rules',
        component: () => import('../views/monitor/RulesView.vue'),
        meta: { perm: P.ruleRun, crumbs: [{ key: 'nav.rules' }] },
      },
      {
        path: 'warnings',
        name: 'warnings',
        component: () => import('../views/monitor/WarningList.vue'),
        meta: { perm: P.warningRead, crumbs: [{ key: 'nav.warnings' }] },
      },
      {
        path: 'warnings/:id(\\d+)',
        name: 'warning',
        component: () => import('../views/monitor/WarningDetail.vue'),
        meta: { perm: P.warningRead, crumbs: warningCrumbs('warning.detail') },
      },
      {
        path: 'warning-stats',
        name: 'warning-stats',
        component: () => import('../views/monitor/WarningDashboard.vue'),
        meta: { perm: P.warningRead, crumbs: [{ key: 'nav.warningStats' }] },
      },
      {
        path: 'notifications',
        name: 'notifications',
        component: () => import('../views/notifications/InboxView.vue'),
        meta: { crumbs: [{ key: 'nav.notifications' }] },
      },
      {
        path: 'forbidden',
        name: 'forbidden',
        component: () => import('../views/common/MessagePage.vue'),
        props: { messageKey: 'errors.forbiddenPage' },
      },
      {
        path: ':rest(.*)*',
        name: 'not-found',
        component: () => import('../views/common/MessagePage.vue'),
        props: { messageKey: 'errors.notFoundPage' },
      },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
})

router.beforeEach(async (to) => {
  if (to.meta.anonymous) return true // public pages never ask for the session
  await loadSession()
  if (to.meta.public) {
    if (to.name === 'login' && session.stage === 'active') return { path: to.query.redirect || '/' }
    return true
  }
  if (session.stage !== 'active') {
    return { name: 'login', query: to.fullPath && to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  if (to.meta.perm && !can(to.meta.perm)) return { name: 'forbidden' }
  return true
})
