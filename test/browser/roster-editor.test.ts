/**
 * The on-call roster edited on the team page, in real Chromium: Johan Ek (the physician on call)
 * adds a shift for Karin Lindberg as backup, a shift that ends before it starts is refused at its
 * field with nothing saved, a shift is removed with a notice where focus was; the saved roster
 * shows on the page and in the database. The editor is checked with axe.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { isoDayOfNumber, swedishDayNumber } from '../../src/domain/swedish-time.ts';
import { demoStaff } from '../../src/seed/units.ts';
import { startBrowserEnv, type BrowserEnv } from './setup.ts';

describe('a team member edits the on-call roster', () => {
  let env: BrowserEnv;
  let page: Page;
  // A Swedish day a month ahead, clear of the demo roster's shifts.
  const day = isoDayOfNumber(swedishDayNumber(Date.now()) + 30);

  before(async () => {
    env = await startBrowserEnv();
    page = await env.newPage();
  });
  after(async () => {
    await env?.close();
  });

  it('adds a backup shift for a member, refusing one that ends before it starts', async () => {
    await env.loginAs(page, demoStaff.allmanlakare.id);
    const [team] = await env.db.query<{ id: string }>(
      `select t.id from team t join team_member m on m.team_id = t.id where m.staff_id = $1 and t.kind = 'hemsjukvardsteam'`,
      [demoStaff.allmanlakare.id],
    );
    await page.goto(`/team/${team!.id}`);
    await page.getByRole('heading', { level: 2, name: 'Jourschema' }).waitFor();
    const before = await env.db.query('select 1 from team_roster where team_id = $1', [team!.id]);
    await page.getByRole('button', { name: 'Ändra jourschemat' }).click();
    await page.getByRole('heading', { name: 'Ändra jourschemat' }).waitFor();
    await page.getByRole('button', { name: 'Lägg till pass' }).click();
    const shift = page.getByRole('group', { name: `Pass ${before.length + 1}` });
    await shift.getByLabel('Vem').selectOption(demoStaff.distriktsskoterska.id);
    await shift.getByLabel('Från').fill(`${day}T17:00`);
    await shift.getByLabel('Till').fill(`${day}T08:00`);
    await shift.getByLabel('Bakjour (annars jourläkare)').check();
    await page.getByRole('button', { name: 'Spara jourschemat' }).click();
    await shift.getByText('Passet ska sluta efter att det börjat.').waitFor();
    await env.check(page, '45-roster-editor');
    assert.equal(
      (await env.db.query('select 1 from team_roster where team_id = $1', [team!.id])).length,
      before.length,
    );

    await shift.getByLabel('Till').fill(`${day}T23:00`);
    // A shift added by mistake is removed again, and the removal is said where focus was.
    await page.getByRole('button', { name: 'Lägg till pass' }).click();
    await page.getByRole('button', { name: `Ta bort Pass ${before.length + 2}` }).click();
    await page.getByText(`Pass ${before.length + 2} är borttaget.`).waitFor();
    await page.getByRole('button', { name: 'Spara jourschemat' }).click();
    await page.getByText('Jourschemat är sparat.').waitFor();
    await page.getByRole('cell', { name: 'Karin Lindberg' }).waitFor();
    const saved = await env.db.query<{ backup: boolean }>(
      'select backup from team_roster where team_id = $1 and staff_id = $2',
      [team!.id, demoStaff.distriktsskoterska.id],
    );
    assert.deepEqual(saved, [{ backup: true }]);
  });
});
