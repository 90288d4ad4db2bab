import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The server sends a strict Content-Security-Policy (script-src 'self'; style-src 'self'):
// the built index.html must hold no inline script or style, so the module-preload
// polyfill (an inline script) is off and all CSS goes to files.
export default defineConfig({
  plugins: [vue()],
  base: '/',
  define: {
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_JIT_COMPILATION__: 'true',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    cssCodeSplit: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element-plus'
          // ECharts only with the chart views, which are loaded lazily
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts'
          if (id.includes('node_modules/')) return 'vendor'
          return undefined
        },
      },
    },
  },
  server: {
    // `npm run dev` against a server on 127.0.0.1:8080 (override with JIANDU_URL)
    proxy: {
      '/api': process.env.JIANDU_URL || 'http://127.0.0.1:8080',
      '/healthz': process.env.JIANDU_URL || 'http://127.0.0.1:8080',
    },
  },
  test: {
    include: ['tests/unit/**/*.test.js'],
    environment: 'node',
  },
})
