/**
 * "Mina patienter" in real Chromium at 1366×768 and 390 px: one row per patient, most urgent
 * first (a patient waiting for a reply, an overdue contact, one due today, one later), at least
 * eight rows above the fold, a filter kept in the URL, and axe clean.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { demoStaff } from '../../src/seed/units.ts';
import { startBrowserEnv, type BrowserEnv } from './setup.ts';

const DESKTOP = { width: 1366, height: 768 };
const HOUR = 3_600_000;

interface Seeded {
  id: string;
  name: string;
  identifier: string;
}

describe('the worklist ordered by urgency', () => {
  let env: BrowserEnv;
  let page: Page;
  let waiting: Seeded;
  let overdue: Seeded;
  let today: Seeded;
  let later: Seeded;

  before(async () => {
    env = await startBrowserEnv();
    const mine = await env.db.query<Seeded & { contractId: string }>(
      `select p.id, p.given_name || ' ' || p.family_name as name, p.identifier, c.id as "contractId"
       from care_contact cc
         join patient p on p.id = cc.patient_id
         join contract c on c.patient_id = p.id and c.status = 'active' and c.content ? 'nextContact'
       where cc.staff_id = $1 and cc.role = 'fast-vardkontakt' and cc.status = 'active'
       order by p.family_name desc
       limit 4`,
      [demoStaff.distriktsskoterska.id],
    );
    assert.equal(mine.length, 4, 'the demo nurse has four patients with a plan and a next contact');
    [waiting, overdue, today, later] = mine as unknown as [Seeded, Seeded, Seeded, Seeded];
    const now = Date.now();
    // Today's slot: late enough not to have passed, early enough to stay within the Swedish day.
    const endOfDay = new Date(new Date().toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm' }));
    const minutesLeft = (24 - endOfDay.getHours()) * 60 - endOfDay.getMinutes();
    const todayAt = new Date(now + Math.max(2, Math.floor(minutesLeft / 2)) * 60_000);
    async function setNextContact(contractId: string, at: Date, requestedAt?: Date) {
      const response = requestedAt
        ? `, "patientRequestedChange": true, "patientResponse": {"response": "wants-other", "message": "Efter 14 passar bäst", "respondedAt": "${requestedAt.toISOString()}"}`
        : '';
      await env.db.query(
        `update contract
         set next_contact_at = $2::timestamptz,
           content = jsonb_set(content, '{nextContact}',
             ((content -> 'nextContact') - 'patientRequestedChange' - 'patientResponse')
               || jsonb_build_object('at', $3::text) || $4::jsonb)
         where id = $1`,
        [contractId, at.toISOString(), at.toISOString(), `{${response.slice(1)}}`],
      );
    }
    const ids = mine as (Seeded & { contractId: string })[];
    await setNextContact(ids[0]!.contractId, new Date(now + 72 * HOUR), new Date(now - 400 * 24 * HOUR));
    await setNextContact(ids[1]!.contractId, new Date(now - 400 * 24 * HOUR));
    await setNextContact(ids[2]!.contractId, todayAt);
    await setNextContact(ids[3]!.contractId, new Date(now + 300 * 24 * HOUR));
    page = await env.newPage(DESKTOP);
    await env.loginAs(page, demoStaff.distriktsskoterska.id);
  });
  after(async () => {
    await env?.close();
  });

  const rows = () => page.getByRole('region', { name: /Alla mina patienter/ }).locator('tbody tr');
  async function rowIndex(patient: Seeded): Promise<number> {
    const names = await rows().locator('td:first-child a').allTextContents();
    return names.indexOf(patient.name);
  }

  it('lists a request awaiting my reply first, then the overdue contact, then today, then later', async () => {
    await rows().first().waitFor();
    const [w, o, t, l] = [
      await rowIndex(waiting),
      await rowIndex(overdue),
      await rowIndex(today),
      await rowIndex(later),
    ];
    assert.ok(w >= 0 && o >= 0 && t >= 0 && l >= 0, `all four are listed: ${[w, o, t, l].join(', ')}`);
    assert.equal(w, 0, 'the oldest request awaiting my reply comes first');
    assert.ok(w < o && o < t && t < l, `order ${[w, o, t, l].join(', ')}`);
    const first = rows().nth(w);
    await first.getByText('Väntar på ditt svar').waitFor();
    await first.getByText('Patienten vill byta tid').waitFor();
    await first.getByText('”Efter 14 passar bäst”').waitFor();
    await rows().nth(o).locator('.worklist-badge', { hasText: 'Försenad' }).waitFor();
    await rows().nth(t).locator('.worklist-badge', { hasText: 'I dag' }).waitFor();
  });

  it('names each patient once, with the personnummer as YYYYMMDD-XXXX', async () => {
    const row = rows().nth(await rowIndex(later));
    await row.getByText(`${later.identifier.slice(0, 8)}-${later.identifier.slice(8)}`).waitFor();
    assert.equal(await page.getByRole('link', { name: later.name, exact: true }).count(), 1);
  });

  it('shows at least eight patients above the fold at 1366×768, each on one line of dates', async () => {
    let above = 0;
    for (let i = 0; i < Math.min(await rows().count(), 12); i++) {
      const box = await rows().nth(i).boundingBox();
      if (box && box.y + box.height <= DESKTOP.height) above += 1;
    }
    assert.ok(above >= 8, `${above} rows above the fold`);
    const heights: number[] = [];
    for (const cell of await rows().locator('td.nowrap').all())
      heights.push((await cell.boundingBox())!.height);
    assert.ok(Math.max(...heights) < 2 * Math.min(...heights), 'no date cell wraps onto a second line');
    await env.check(page, 'w01-worklist-urgency-1366');
  });

  it('filters by urgency and by name or personnummer, and keeps the filter in the URL', async () => {
    const chips = page.getByRole('group', { name: 'Visa patienter' });
    await chips.getByRole('button', { name: /Försenade/ }).click();
    await page.waitForURL(/visa=forsenade/);
    // The address changes before the list is drawn again: wait for the rows that must go.
    await rows().filter({ hasText: later.name }).waitFor({ state: 'detached' });
    await rows().filter({ hasText: waiting.name }).waitFor({ state: 'detached' });
    assert.ok((await rowIndex(overdue)) >= 0);
    assert.equal(await rowIndex(later), -1);
    assert.equal(await rowIndex(waiting), -1);
    for (const badge of await rows().locator('td:nth-child(2) .worklist-badge').allTextContents())
      assert.match(badge, /Försenad/);
    await env.check(page, 'w02-worklist-overdue');

    await chips.getByRole('button', { name: /Alla/ }).click();
    await page.getByLabel('Filtrera på namn eller personnummer').fill(later.identifier.slice(2, 8));
    await page.waitForURL(/q=/);
    await rows().nth(1).waitFor({ state: 'detached' });
    assert.deepEqual(await rows().locator('td:first-child a').allTextContents(), [later.name]);
    await page.reload();
    await rows().first().waitFor();
    await rows().nth(1).waitFor({ state: 'detached' });
    assert.deepEqual(await rows().locator('td:first-child a').allTextContents(), [later.name]);
    assert.equal(
      await page.getByLabel('Filtrera på namn eller personnummer').inputValue(),
      later.identifier.slice(2, 8),
    );

    await page.getByLabel('Filtrera på namn eller personnummer').fill('ingen sådan patient');
    await page.getByText('Ingen patient matchar filtret.').waitFor();
    await page.getByLabel('Filtrera på namn eller personnummer').fill('');
    await page.getByRole('button', { name: /Väntar på mig/ }).click();
    assert.equal(await rowIndex(waiting), 0);
  });

  it('works on a phone at 390 px without scrolling sideways', async () => {
    const phone = await env.newPage({ width: 390, height: 844 });
    await env.loginAs(phone, demoStaff.distriktsskoterska.id);
    await phone
      .getByRole('region', { name: /Alla mina patienter/ })
      .locator('tbody tr')
      .first()
      .waitFor();
    const overflow = await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    assert.ok((overflow as number) <= 0, `scrolls sideways by ${String(overflow)}px`);
    await env.check(phone, 'w03-worklist-390');
  });
});
