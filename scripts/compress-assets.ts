/**
 * Pre-compresses the web build: a `.br` and a `.gz` beside every text asset, so that
 * src/api/web-routes.ts (@fastify/static with `preCompressed`) sends the smaller one the
 * browser accepts without compressing on each request. Run by the Vite build itself
 * (web/vite.config.ts), so `npm run build` stays one command.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Files worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map)$/;

/**
 * Writes `<file>.br` and `<file>.gz` for every compressible file under `dir`, however small:
 * @fastify/static answers `/` with `index.html.br` when the browser accepts brotli, and with
 * 404 if that copy is missing. Returns how many files were compressed.
 */
export function compressDirectory(dir: string): number {
  let count = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      count += compressDirectory(path);
      continue;
    }
    if (!COMPRESSIBLE.test(name)) continue;
    const content = readFileSync(path);
    writeFileSync(
      `${path}.br`,
      brotliCompressSync(content, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
        },
      }),
    );
    writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
    count += 1;
  }
  return count;
}
