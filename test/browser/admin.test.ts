/**
 * Administration in real Chromium: the demo region's systemförvaltare lands on it, registers a
 * journal system (a refused address is answered at its field, tied to it for a screen reader),
 * switches it off, registers a SMART client, gives a product role and takes it away; the three tabs
 * work with the arrow keys; axe finds nothing serious on any tab, desktop or 390 px, and the page
 * never scrolls sideways on a phone. A nurse sees no link, and the address tells her she lacks
 * the role.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { demoStaff } from '../../src/seed/units.ts';
import { artifactsDir, startBrowserEnv, type BrowserEnv } from './setup.ts';

const HOSPITAL = 'SE2321000000-S100';

/** How far the page scrolls sideways (0 when it fits). */
const sidewaysOverflow = async (page: Page): Promise<number> =>
  Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));

describe('the Administration page', () => {
  let env: BrowserEnv;
  let admin: Page;

  before(async () => {
    env = await startBrowserEnv({ patients: 40 });
    admin = await env.newPage({ width: 1280, height: 900 });
  });
  after(async () => {
    await env?.close();
  });

  it('is where the systemförvaltare lands, with the link in the menu and no patient list', async () => {
    await env.loginAs(admin, demoStaff.systemforvaltare.id);
    await admin.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    assert.match(admin.url(), /\/administration$/);
    const nav = admin.getByRole('navigation', { name: 'Huvudmeny' });
    await nav.getByRole('link', { name: 'Administration' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Mina patienter' }).count(), 0);
    await env.check(admin, 'admin-ehr-systems');
  });

  it('answers a refused journal system at its field, then registers it and switches it off', async () => {
    const form = admin.locator('#admin-ehr-form');
    await form.getByLabel('Id', { exact: false }).first().fill('cosmic');
    await form.getByLabel(/^Namn/).fill('Cosmic, Region Gävleborg');
    await form.getByLabel(/^FHIR-adress/).fill('http://cosmic.example.se/fhir');
    await form.getByLabel(/^Klient-id/).fill('patientkontrakt');
    await form.getByLabel(/^Hemlighetens namn/).fill('COSMIC');
    await form.getByRole('button', { name: 'Spara journalsystemet' }).click();
    const iss = form.getByLabel(/^FHIR-adress/);
    await form.locator('.field-error', { hasText: 'https' }).waitFor();
    assert.equal(await iss.getAttribute('aria-invalid'), 'true');
    const described = (await iss.getAttribute('aria-describedby')) ?? '';
    const errorId = described.split(' ').find((id) => id.endsWith('-error'));
    assert.ok(errorId, described);
    assert.match(await admin.locator(`[id="${errorId}"]`).innerText(), /https/);
    await env.check(admin, 'admin-ehr-error');

    await iss.fill('https://cosmic.example.se/fhir');
    await form.getByRole('button', { name: 'Spara journalsystemet' }).click();
    await admin.getByText('Journalsystemet cosmic är sparat.', { exact: true }).first().waitFor();
    const card = admin.locator('.card', { hasText: 'Cosmic, Region Gävleborg' });
    await card.getByText('Aktiv', { exact: true }).waitFor();
    await card.getByRole('button', { name: /Stäng av/ }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Stäng av' }).click();
    await card.getByText('Avstängd', { exact: true }).waitFor();
    const [row] = await env.db.query<{ active: boolean }>(
      "select active from ehr_system where id = 'cosmic'",
    );
    assert.equal(row?.active, false);
  });

  it('moves between the tabs with the arrow keys, and registers a SMART client', async () => {
    await admin.getByRole('tab', { name: 'Journalsystem' }).focus();
    await admin.keyboard.press('ArrowRight');
    await admin.getByRole('tab', { name: 'SMART-klienter', selected: true }).waitFor();
    await admin.getByRole('heading', { level: 2, name: 'SMART-klienter' }).waitFor();
    assert.match(admin.url(), /flik=smart-klienter/);
    const form = admin.locator('#admin-clients-form');
    await form.getByLabel(/^Klient-id/).fill('journal-x');
    await form.getByLabel(/^Namn/).fill('Journal X');
    const [region] = await env.db.query<{ provider_id: string }>(
      'select provider_id from care_unit where id = $1',
      [HOSPITAL],
    );
    await form.getByLabel(/^Vårdgivare/).fill(region!.provider_id);
    await form.getByLabel(/^Scope/).fill('system/CarePlan.rs');
    await form.getByLabel(/^Webbursprung/).fill('https://app.example.se/sökväg');
    await form.getByRole('button', { name: 'Spara klienten' }).click();
    await form.locator('.field-error', { hasText: 'ingen origin' }).waitFor();
    await env.check(admin, 'admin-smart-clients-error');
    await form.getByLabel(/^Webbursprung/).fill('https://app.example.se');
    await form.getByRole('button', { name: 'Spara klienten' }).click();
    await admin.getByText('Klienten journal-x är registrerad.', { exact: true }).first().waitFor();
    await admin.locator('.card', { hasText: 'journal-x' }).getByText('Aktiv', { exact: true }).waitFor();
  });

  it('gives a product role and takes it away, the holder refused from their next request', async () => {
    await admin.getByRole('tab', { name: 'SMART-klienter' }).focus();
    await admin.keyboard.press('ArrowRight');
    await admin.getByRole('heading', { level: 2, name: 'Produktroller' }).waitFor();
    await admin.locator('.card', { hasText: 'Anders Lund' }).waitFor();
    const form = admin.locator('form', { hasText: 'Ge en roll' });
    await form.getByLabel(/^Personens HSA-id/).fill(demoStaff.uppfoljare.id);
    await form.getByLabel('Enhet').selectOption(HOSPITAL);
    await form.getByLabel('Roll').selectOption('systemforvaltare');
    await form.getByRole('button', { name: 'Ge rollen' }).click();
    // One role per unit: the server's refusal is shown, nothing changes.
    await admin
      .getByRole('alert')
      .getByText(/ta bort den först/)
      .waitFor();
    await env.check(admin, 'admin-product-roles');

    const analyst = await env.newPage();
    await env.loginAs(analyst, demoStaff.uppfoljare.id);
    const card = admin.locator('.card', { hasText: 'Ingrid Nyström' });
    await card.getByRole('button', { name: /Ta bort rollen/ }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Ta bort rollen' }).click();
    await admin
      .getByText(/Rollen Uppföljning är borttagen från Ingrid Nyström/)
      .first()
      .waitFor();
    // The list is read again after the message: wait for the card to go rather than count at once.
    await card.waitFor({ state: 'detached' });
    // Her next request is refused.
    const followup = await analyst.request.get('/api/followup/report');
    assert.equal(followup.status(), 403);
  });

  it('fits a phone at 390 px on every tab, with nothing serious for axe', async () => {
    const phone = await env.newPage({ width: 390, height: 844 });
    await env.loginAs(phone, demoStaff.systemforvaltare.id);
    for (const [tab, name] of [
      ['journalsystem', 'admin-ehr-systems-390'],
      ['smart-klienter', 'admin-smart-clients-390'],
      ['produktroller', 'admin-product-roles-390'],
    ] as const) {
      await phone.goto(`/administration?flik=${tab}`);
      await phone.getByRole('tab', { selected: true }).waitFor();
      await phone.locator('.card').first().waitFor();
      assert.equal(await sidewaysOverflow(phone), 0, `${tab} scrolls sideways`);
      await env.check(phone, name);
      // What a phone shows first, beside the full page.
      await phone.screenshot({ path: join(artifactsDir, 'screenshots', `${name}-top.png`) });
    }
  });

  it('shows a nurse no link, and the address says she lacks the role', async () => {
    const nurse = await env.newPage();
    await env.loginAs(nurse, demoStaff.distriktsskoterska.id);
    const nav = nurse.getByRole('navigation', { name: 'Huvudmeny' });
    await nav.getByRole('link', { name: 'Mina patienter' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Administration' }).count(), 0);
    await nurse.goto('/administration');
    await nurse.getByRole('heading', { level: 1, name: 'Du saknar behörighet' }).waitFor();
    assert.equal((await nurse.request.get('/api/admin/ehr-systems')).status(), 403);
    await env.check(nurse, 'admin-no-access');
  });
});
