/**
 * Serves the staff web app (the Vite build in web/dist) at `/`, and `index.html` for every
 * other GET that is not an API, FHIR or auth path, so that the app's own routes
 * (/patient/…, /sok …) survive a reload. Hashed assets under /assets/ may be cached for a year;
 * everything else keeps the app-wide `no-store`. Without a build, app paths answer 503 with
 * how to build it.
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
      await app.register(fastifyStatic, { root, wildcard: false, index: 'index.html' });
      app.addHook('onSend', async (request, reply) => {
        if (request.url.startsWith('/assets/') && reply.statusCode === 200) {
          void reply.header('cache-control', 'public, max-age=31536000, immutable');
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
