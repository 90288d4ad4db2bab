import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import './styles/app.css'
import App from './App.vue'
import { i18n } from './i18n/index.js'
import { router } from './router/index.js'
import { setUnauthenticatedHandler } from './api/client.js'
import { applySession } from './api/session.js'

setUnauthenticatedHandler((err) => {
  err.handled = true
  applySession(null)
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    router.push({ name: 'login', query: { redirect: current.fullPath, expired: '1' } })
  }
})

document.documentElement.setAttribute('lang', i18n.global.locale.value)

createApp(App).use(i18n).use(ElementPlus).use(router).mount('#app')
