// The unread-notification count shown on the header bell.
import { ref } from 'vue'
import { api } from './client.js'

export const unreadCount = ref(0)

export async function refreshUnread() {
  try {
    const r = await api.get('/notifications/count')
    unreadCount.value = Number(r && r.unread) || 0
  } catch {
    // the bell is not worth an error message
  }
  return unreadCount.value
}
