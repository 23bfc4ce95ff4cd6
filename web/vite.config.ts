/**
 * The staff web app's build. Run from the repository root: `vite build --config web/vite.config.ts`
 * (npm run build). The output in web/dist is served by src/api/web-routes.ts under a CSP
 * without inline scripts, so nothing here may inline a script.
 */
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { compressDirectory } from '../scripts/compress-assets.ts';

/** Writes .br and .gz beside each built asset once the bundle is on disk. */
function compressAssets(): Plugin {
  return {
    name: 'patientkontrakt-compress-assets',
    apply: 'build',
    writeBundle(options) {
      if (options.dir) compressDirectory(resolve(options.dir));
    },
  };
}

export default defineConfig({
  root: 'web',
  base: '/',
  plugins: [react(), compressAssets()],
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
