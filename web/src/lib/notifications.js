// Where a notification leads (pure).

/** The route of the entity a notification names, or null. */
export function notificationTarget(n) {
  if (!n || n.entity_id == null || n.entity_id === '') return null
  const id = String(n.entity_id)
  switch (n.entity_type) {
    case 'finding':
      return `/findings/${id}`
    case 'review':
      return `/reviews/${id}`
    case 'vote_sheet':
      return `/vote/${id}`
    case 'meeting':
      return `/meetings/${id}`
    default:
      return null
  }
}

/** Open vote-sheet ids named by ballot.opened notices, newest first, without duplicates. */
export function ballotSheetIds(notices) {
  const out = []
  for (const n of notices || []) {
    if (n.entity_type !== 'vote_sheet') continue
    const id = Number(n.entity_id)
    if (Number.isInteger(id) && id > 0 && !out.includes(id)) out.push(id)
  }
  return out
}
