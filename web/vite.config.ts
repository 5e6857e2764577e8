import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// Element Plus components are imported on demand (with their CSS) by unplugin-vue-components and split
// with the routes that use them (one Element Plus chunk would double the candidate portal's first load);
// ECharts is imported from echarts/core with only the radar chart and the canvas renderer, in its own chunk
// loaded by the pages with a chart.
const api = process.env.ZHIMIAN_API ?? 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [
    vue(),
    Components({
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: 'components.d.ts',
    }),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    proxy: { '/api': api, '/healthz': api, '/readyz': api },
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)/ },
            // Element Plus in two chunks: what the candidate portal needs, and the rest (staff pages).
            {
              name: 'ep-base',
              priority: 2,
              test: /node_modules[\\/](element-plus[\\/](es|theme-chalk)[\\/](utils|hooks|constants|locale|directives|version|make-installer|components[\\/](base|button|input|checkbox|progress|tag|alert|message|message-box|config-provider|icon|overlay|focus-trap|dialog|teleport|badge|link|result|tooltip|popper|roving-focus-group|collection|slot|visual-hidden))|@element-plus|@floating-ui|lodash-unified|lodash-es|@vueuse|async-validator|normalize-wheel-es|memoize-one|dayjs)/,
            },
            { name: 'ep-staff', priority: 1, test: /node_modules[\\/]element-plus[\\/]/ },
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|pinia|vue-i18n|@intlify)[\\/]/ },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    // Element Plus imports its CSS from ESM; let Vite transform it instead of Node loading .css files.
    server: { deps: { inline: ['element-plus'] } },
  },
})
