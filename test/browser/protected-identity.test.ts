/**
 * Skyddad identitet in real Chromium: the demo's patient with sekretessmarkering (Birgitta
 * Håkansson) is "Skyddad identitet" on her fast vårdkontakt's worklist, with the badge, and named
 * only on her own page, which carries the badge and the notice; no address anywhere. At 1366 px
 * and at 390 px; axe clean.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PROTECTED_DEMO_ADDRESS, PROTECTED_DEMO_PERSONNUMMER } from '../../src/seed/person-status.ts';
import { demoStaff } from '../../src/seed/units.ts';
import { startBrowserEnv, type BrowserEnv } from './setup.ts';

describe('a protected identity on screen', () => {
  let env: BrowserEnv;
  let patientId: string;

  before(async () => {
    env = await startBrowserEnv({ patients: 200 });
    const [row] = await env.db.query<{ id: string }>('select id from patient where identifier = $1', [
      PROTECTED_DEMO_PERSONNUMMER,
    ]);
    patientId = row!.id;
  });
  after(async () => {
    await env?.close();
  });

  for (const [label, size] of [
    ['desktop', { width: 1366, height: 768 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    it(`lists her as "Skyddad identitet" with a badge on the worklist and names her on her own page (${label})`, async () => {
      const page = await env.newPage(size);
      await env.loginAs(page, demoStaff.diabetesskoterska.id);
      const link = page.locator(`a[href="/patient/${patientId}"]`).first();
      await link.waitFor();
      assert.equal((await link.textContent())?.trim(), 'Skyddad identitet');
      const row = page.locator('tr', { has: link });
      await row.locator('.tag-protected', { hasText: 'Skyddad identitet' }).waitFor();
      const list = await page.locator('main').textContent();
      assert.ok(!list?.includes('Håkansson'), 'the worklist names her');
      await env.check(page, `protected-identity-worklist-${label}`);

      await link.click();
      await page.getByRole('heading', { level: 1, name: 'Birgitta Håkansson' }).waitFor();
      await page.locator('.lead .tag-protected', { hasText: 'Skyddad identitet' }).waitFor();
      await page.getByText(/adressen visas aldrig/).waitFor();
      const text = (await page.locator('body').textContent()) ?? '';
      for (const secret of [PROTECTED_DEMO_ADDRESS.line, PROTECTED_DEMO_ADDRESS.postalCode])
        assert.ok(!text.includes(secret), `the page shows ${secret}`);
      await env.check(page, `protected-identity-patient-${label}`);
    });
  }
});
