/**
 * The staff app's first load arrives compressed: every built text asset has a `.br` and `.gz`
 * copy, the server sends the one the browser accepts, hashed assets are cached for a year and
 * the HTML shell is revalidated. Runs against the real build (built here when stale).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { defaultWebRoot } from '../src/api/web-routes.ts';
import type { Db } from '../src/store/db.ts';
import { ensureBuilt } from './browser/setup.ts';
import { buildTestApp } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';

const assetsDir = join(defaultWebRoot, 'assets');
const isText = (name: string) => /\.(js|css)$/.test(name);
const BROWSER_ENCODINGS = ['gzip, deflate, br, zstd', 'gzip, deflate', 'identity', ''];

/** The scripts and style sheets index.html loads at once (entry, modulepreloads, CSS). */
function firstLoadAssets(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
}

describe('web assets', () => {
  let db: Db;
  let app: FastifyInstance;
  before(async () => {
    await ensureBuilt();
    db = await testEngines[0]!.open();
    app = await buildTestApp(db);
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  it('sends every built script and style sheet brotli- or gzip-compressed, as the browser accepts, with the same bytes inside', async () => {
    const names = readdirSync(assetsDir).filter(isText);
    assert.ok(names.length > 0, 'the build has assets');
    for (const name of names) {
      const original = readFileSync(join(assetsDir, name));
      const br = await app.inject({
        url: `/assets/${name}`,
        headers: { 'accept-encoding': 'gzip, deflate, br' },
      });
      assert.equal(br.statusCode, 200, name);
      assert.equal(br.headers['content-encoding'], 'br', name);
      assert.match(String(br.headers.vary), /accept-encoding/i, name);
      assert.ok(brotliDecompressSync(br.rawPayload).equals(original), name);
      assert.ok(br.rawPayload.length < original.length, name);
      const gz = await app.inject({ url: `/assets/${name}`, headers: { 'accept-encoding': 'gzip' } });
      assert.equal(gz.headers['content-encoding'], 'gzip', name);
      assert.ok(gunzipSync(gz.rawPayload).equals(original), name);
      const plain = await app.inject({ url: `/assets/${name}`, headers: { 'accept-encoding': 'identity' } });
      assert.equal(plain.headers['content-encoding'], undefined, name);
      assert.ok(plain.rawPayload.equals(original), name);
    }
  });

  it('lets the browser keep hashed assets for a year and revalidate the HTML shell on every load', async () => {
    const name = readdirSync(assetsDir).find(isText)!;
    const asset = await app.inject({ url: `/assets/${name}`, headers: { 'accept-encoding': 'br' } });
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    for (const url of ['/', '/index.html', '/patient/123', '/sok']) {
      for (const encoding of BROWSER_ENCODINGS) {
        const page = await app.inject({ url, headers: { 'accept-encoding': encoding } });
        assert.equal(page.statusCode, 200, `${url} ${encoding}`);
        assert.match(String(page.headers['content-type']), /^text\/html/, url);
        assert.equal(page.headers['cache-control'], 'no-cache', url);
      }
    }
    const missing = await app.inject({ url: '/assets/no-such-file.js' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.headers['cache-control'], 'no-store');
    const copy = await app.inject({ url: `/assets/${name}.br` });
    assert.equal(copy.statusCode, 404, 'a compressed copy is not fetched by name');
  });

  it('transfers the first load in well under half its uncompressed size', async (t) => {
    const html = readFileSync(join(defaultWebRoot, 'index.html'), 'utf8');
    const urls = firstLoadAssets(html);
    assert.ok(
      urls.some((u) => u.endsWith('.js')),
      'index.html loads a script',
    );
    let raw = 0;
    let sent = 0;
    for (const url of urls) {
      raw += statSync(join(defaultWebRoot, url)).size;
      const reply = await app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
      assert.equal(reply.statusCode, 200, url);
      sent += reply.rawPayload.length;
    }
    t.diagnostic(`first load: ${urls.length} files, ${raw} bytes uncompressed, ${sent} bytes sent`);
    assert.ok(sent < raw / 2, `${sent} of ${raw}`);
  });
});
