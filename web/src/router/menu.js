import { P } from '../lib/permissions.js'

// Menu entries of the left navigation, in order; shown only when allowed.
export const MENU = [
  { path: '/orgs', key: 'nav.orgs', icon: 'OfficeBuilding', perm: P.orgRead },
  { path: '/people', key: 'nav.people', icon: 'User', perm: P.personRead },
  { path: '/appointments', key: 'nav.appointments', icon: 'Tickets', perm: P.appointmentRead },
  { path: '/audit', key: 'nav.audit', icon: 'Document', perm: P.auditRead },
  { path: '/users', key: 'nav.users', icon: 'UserFilled', perm: P.userRead },
]
