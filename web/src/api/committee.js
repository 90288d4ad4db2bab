// The standing committee (人大常委会) the review pages work on, and its members in office.
import { reactive } from 'vue'
import { api } from './client.js'

export const committeeState = reactive({ list: [], selectedId: null, loaded: false })
const STORAGE_KEY = 'jiandu.committee'
const membersCache = new Map()

/** Standing committees in scope (GET /orgs?q=人大常委会, kind standing_committee). Loaded once. */
export async function loadCommittees() {
  if (committeeState.loaded) return committeeState.list
  const r = await api.get('/orgs', { q: '人大常委会' })
  committeeState.list = (r.items || []).filter((o) => o.kind === 'standing_committee')
  let saved = null
  try {
    saved = Number(localStorage.getItem(STORAGE_KEY)) || null
  } catch {
    saved = null
  }
  const ids = committeeState.list.map((o) => o.id)
  committeeState.selectedId = ids.includes(saved) ? saved : ids[0] ?? null
  committeeState.loaded = true
  return committeeState.list
}

export function selectCommittee(id) {
  committeeState.selectedId = id
  try {
    localStorage.setItem(STORAGE_KEY, String(id))
  } catch {
    // ignore
  }
}

/** Members of a committee in office: [{ person_id, name, position_title }] (its active appointments). */
export async function committeeMembers(committeeId) {
  if (!committeeId) return []
  if (!membersCache.has(committeeId)) {
    const p = (async () => {
      const out = []
      let cursor
      for (let page = 0; page < 10; page++) {
        const r = await api.get('/appointments', { org_id: committeeId, active: true, limit: 200, cursor })
        for (const a of r.items || []) {
          if (a.org_id === committeeId && !out.some((m) => m.person_id === a.person_id)) {
            out.push({ person_id: a.person_id, name: a.person_name, position_title: a.position_title })
          }
        }
        if (!r.next_cursor) break
        cursor = r.next_cursor
      }
      return out.sort((a, b) => a.person_id - b.person_id)
    })().catch((e) => {
      membersCache.delete(committeeId)
      throw e
    })
    membersCache.set(committeeId, p)
  }
  return membersCache.get(committeeId)
}
