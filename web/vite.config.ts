/**
 * The staff web app's build. Run from the repository root: `vite build --config web/vite.config.ts`
 * (npm run build). The output in web/dist is served by src/api/web-routes.ts under a CSP
 * without inline scripts, so nothing here may inline a script.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Inlined assets would be data: URLs; the CSP allows them for images only.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    // `vite --config web/vite.config.ts` for development: the API runs on :3000.
    proxy: {
      '/api': 'http://localhost:3000',
      '/auth': 'http://localhost:3000',
      '/fhir': 'http://localhost:3000',
    },
  },
});
