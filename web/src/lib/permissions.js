// Permission codes the UI checks against `Session.permissions` (the server's src/auth/roles.cc).
// Positions are read with appointment.read and written with appointment.write.
export const P = Object.freeze({
  orgRead: 'org.read',
  orgWrite: 'org.write',
  personRead: 'person.read',
  personWrite: 'person.write',
  personReveal: 'person.reveal',
  appointmentRead: 'appointment.read',
  appointmentWrite: 'appointment.write',
  positionWrite: 'position.write',
  auditReadEntity: 'audit.read_entity',
  auditRead: 'audit.read',
  auditVerify: 'audit.verify',
  userRead: 'user.read',
  userWrite: 'user.write',
  findingRead: 'finding.read',
  findingWrite: 'finding.write',
  findingReport: 'finding.report',
  reviewRead: 'review.read',
  reviewWrite: 'review.write',
  reviewReport: 'review.report',
  voteCast: 'vote.cast',
  datasetRead: 'dataset.read',
  datasetImport: 'dataset.import',
  ruleRun: 'rule.run',
  warningRead: 'warning.read',
  warningWrite: 'warning.write',
})

/** True when `perms` (array) holds `need` (a code, or an array meaning "any of"). */
export function allows(perms, need) {
  if (!need) return true
  const have = Array.isArray(perms) ? perms : []
  const list = Array.isArray(need) ? need : [need]
  return list.some((p) => have.includes(p))
}
