// Organisation look-ups shared by pickers and the tree (cached per page load).
import { api } from './client.js'

const byId = new Map()
let nearby = null

function remember(list) {
  for (const o of list) byId.set(o.id, o)
  return list
}

export function forgetOrgs() {
  byId.clear()
  nearby = null
}

export async function rootOrgs() {
  const r = await api.get('/orgs')
  return remember(r.items || [])
}

export async function childOrgs(parentId) {
  const r = await api.get('/orgs', { parent_id: parentId })
  return remember(r.items || [])
}

export async function searchOrgs(q) {
  const r = await api.get('/orgs', { q })
  return remember(r.items || [])
}

export async function getOrg(id) {
  if (byId.has(id) && byId.get(id).ancestors) return byId.get(id)
  const o = await api.get(`/orgs/${id}`)
  byId.set(o.id, o)
  return o
}

export function cachedOrg(id) {
  return byId.get(id) || null
}

/**
 * The caller's root organisations and two levels below them, in tree order: the
 * choices a picker offers before anything is typed. Loaded once.
 */
export function nearbyOrgs() {
  if (!nearby) {
    nearby = (async () => {
      const out = []
      async function walk(list, level) {
        for (const o of list) {
          out.push({ ...o, level })
          if (o.has_children && level < 2) await walk(await childOrgs(o.id), level + 1)
        }
      }
      await walk(await rootOrgs(), 0)
      return out
    })().catch((e) => {
      nearby = null
      throw e
    })
  }
  return nearby
}
