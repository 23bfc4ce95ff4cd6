/**
 * Serves the staff web app (the Vite build in web/dist) at `/`, and `index.html` for every
 * other GET that is not an API, FHIR or auth path, so that the app's own routes
 * (/patient/…, /sok …) survive a reload. The build writes `.br` and `.gz` beside each asset
 * (scripts/compress-assets.ts), and the smallest one the browser accepts is sent. Hashed assets
 * under /assets/ may be cached for a year; `index.html` (the shell, no patient data) is
 * revalidated on every load (`no-cache`) so that a new build is picked up at once; everything
 * else keeps the app-wide `no-store`. Without a build, app paths answer 503 with how to build it.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const defaultWebRoot = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Paths that belong to the server, never to the app. */
const SERVER_PATH = /^\/(api|fhir|auth)(\/|$)/;

export function webRoutes(options: { root?: string } = {}): FastifyPluginAsync {
  const root = options.root ?? defaultWebRoot;
  return async (app) => {
    const isBuilt = existsSync(`${root}/index.html`);
    if (isBuilt) {
      await app.register(fastifyStatic, {
        root,
        wildcard: false,
        // `/` is answered by the catch-all below: with preCompressed, the plugin's own index
        // route answers 404 to every browser that sends Accept-Encoding.
        index: false,
        preCompressed: true,
        // The .br/.gz copies are chosen by Accept-Encoding, never fetched by name.
        allowedPath: (path) => !/\.(br|gz)$/.test(path),
      });
      app.addHook('onSend', async (request, reply) => {
        if (reply.statusCode !== 200) return;
        if (request.url.startsWith('/assets/')) {
          void reply.header('cache-control', 'public, max-age=31536000, immutable');
        } else if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
          void reply.header('cache-control', 'no-cache');
        }
      });
    }

    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      if (SERVER_PATH.test(path) || path.startsWith('/assets/')) return reply.callNotFound();
      if (!isBuilt) {
        return reply
          .status(503)
          .type('text/plain; charset=utf-8')
          .send('Webbappen är inte byggd. Kör "npm run build" (eller "npm start").');
      }
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    });
  };
}
