/**
 * Measurements, not timed assertions (the machine's load varies): how long the patient page
 * with 50 planned activities takes to become interactive in Chromium, written to
 * test-artifacts/performance.json. The one budget that is asserted is the size of the initial
 * JavaScript, which does not depend on the machine: ≤ 250 KB gzip.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { PlannedActivity } from '../../src/domain/contract.ts';
import { demoStaff } from '../../src/seed/units.ts';
import { ensureBuilt, startBrowserEnv, writeArtifact, type BrowserEnv } from './setup.ts';

const GUNNAR = '194001279050';
const units = ['SE2321000000-V101', 'SE2321000000-V102', 'SE2120000000-1100', 'SE2321000000-S140'];

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('performance', () => {
  let env: BrowserEnv;
  const results: Record<string, unknown> = {};

  before(async () => {
    env = await startBrowserEnv({ patients: 50 });
  });
  after(async () => {
    writeArtifact('performance.json', results);
    console.log('performance:', JSON.stringify(results));
    await env?.close();
  });

  it('keeps the initial JavaScript within 250 KB gzip', async () => {
    await ensureBuilt();
    const dist = join(import.meta.dirname, '..', '..', 'web', 'dist');
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    const bytes = files.map((f) => gzipSync(readFileSync(join(dist, f)), { level: 9 }).length);
    const total = bytes.reduce((a, b) => a + b, 0);
    results.initialJsGzipBytes = total;
    results.initialJsFiles = files;
    assert.ok(files.length > 0);
    assert.ok(total <= 250 * 1024, `initial JavaScript is ${total} bytes gzip`);
  });

  it('measures the patient page with 50 planned activities', async () => {
    const [patient] = await env.db.query<{ id: string }>('select id from patient where identifier = $1', [
      GUNNAR,
    ]);
    const start = Date.now();
    const activities: PlannedActivity[] = Array.from({ length: 50 }, (_, i) => ({
      id: `perf-${i}`,
      what: `Planerad insats ${i + 1}`,
      unitId: units[i % units.length]!,
      when: new Date(start + (i - 10) * 7 * 86_400_000).toISOString().slice(0, 10),
      status: i < 10 ? 'genomford' : 'planerad',
    }));
    await env.db.query(
      `update contract set content = jsonb_set(content, '{activities}', $2::jsonb) where patient_id = $1 and status <> 'ended'`,
      [patient!.id, JSON.stringify(activities)],
    );
    const page = await env.newPage();
    await env.loginAs(page, demoStaff.distriktsskoterska.id);
    const url = `/patient/${patient!.id}`;
    const heading = page.getByRole('heading', { level: 2, name: 'Samordnad plan (50)' });

    const cold: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(url);
      await heading.waitFor();
      await page.getByRole('link', { name: 'Ändra kontraktet' }).waitFor();
      cold.push(Number(await page.evaluate('performance.now()')));
    }
    const inApp: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.getByRole('link', { name: 'Mina patienter' }).click();
      await page.getByRole('link', { name: 'Gunnar Persson' }).first().waitFor();
      const t0 = Date.now();
      await page.getByRole('link', { name: 'Gunnar Persson' }).first().click();
      await heading.waitFor();
      inApp.push(Date.now() - t0);
    }
    results.patientPage50Activities = {
      coldLoadMs: { runs: cold.map(Math.round), median: Math.round(median(cold)) },
      inAppNavigationMs: { runs: inApp, median: median(inApp) },
      note: 'cold: from navigation start (full page load, JS parse, API call, render) until the timeline and actions are in place; in-app: from click on the worklist until the timeline is rendered',
    };
    await env.check(page, '20-patient-50-activities');
  });
});
