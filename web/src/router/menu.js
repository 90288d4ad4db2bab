import { P } from '../lib/permissions.js'

// Menu entries of the left navigation, in order; shown only when allowed.
export const MENU = [
  { path: '/orgs', key: 'nav.orgs', icon: 'OfficeBuilding', perm: P.orgRead },
  { path: '/people', key: 'nav.people', icon: 'User', perm: P.personRead },
  { path: '/appointments', key: 'nav.appointments', icon: 'Tickets', perm: P.appointmentRead },
  { path: '/audit', key: 'nav.audit', icon: 'Document', perm: P.auditRead },
  { path: '/users', key: 'nav.users', icon: 'UserFilled', perm: P.userRead },
  { path: '/reviews/plan', key: 'nav.reviewPlan', icon: 'Calendar', perm: P.reviewRead },
  { path: '/reviews', key: 'nav.reviewBoard', icon: 'Grid', perm: P.reviewRead },
  { path: '/meetings', key: 'nav.meetings', icon: 'Collection', perm: P.reviewRead },
  { path: '/vote', key: 'nav.vote', icon: 'Stamp', perm: P.voteCast },
  { path: '/findings', key: 'nav.findings', icon: 'Finished', perm: P.findingRead },
  { path: '/stats', key: 'nav.stats', icon: 'DataAnalysis', perm: P.reviewRead },
  { path: '/datasets', key: 'nav.datasets', icon: 'Upload', perm: P.datasetRead },
  { path: '/rules', key: 'nav.rules', icon: 'Operation', perm: P.ruleRun },
  { path: '/warnings', key: 'nav.warnings', icon: 'WarningFilled', perm: P.warningRead },
  { path: '/warning-stats', key: 'nav.warningStats', icon: 'PieChart', perm: P.warningRead },
  { path: '/notifications', key: 'nav.notifications', icon: 'Bell', perm: null },
]
