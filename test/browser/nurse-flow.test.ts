/**
 * The district nurse's round, in real Chromium: she logs in, finds a patient, draws up a
 * contract through the question battery, sets the next contact, and appoints herself fast
 * vårdkontakt when the patient wants help with coordination. A physician at another unit of
 * the same provider then changes a goal, and the nurse's worklist shows the notification
 * without a reload (server-sent events).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { demoStaff } from '../../src/seed/units.ts';
import { startBrowserEnv, type BrowserEnv } from './setup.ts';

const CENTRUM = 'SE2321000000-V101';

/** YYYY-MM-DD and YYYY-MM-DDTHH:mm, `days` from today. */
function daysFromNow(days: number): { date: string; local: string } {
  const d = new Date(Date.now() + days * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return { date, local: `${date}T09:30` };
}

describe('a nurse draws up a contract and hears of a physician’s change live', () => {
  let env: BrowserEnv;
  let nurse: Page;
  let patient: { identifier: string; name: string };

  before(async () => {
    env = await startBrowserEnv();
    const rows = await env.db.query<{ identifier: string; name: string }>(
      `select p.identifier, p.given_name || ' ' || p.family_name as name from patient p
       where p.listed_unit_id = $1 and p.identifier_kind = 'personnummer'
         and p.birth_date > date '1940-01-01'
         and not exists (select 1 from contract c where c.patient_id = p.id)
         and not exists (select 1 from care_contact cc where cc.patient_id = p.id and cc.status = 'active')
       order by p.identifier limit 1`,
      [CENTRUM],
    );
    patient = rows[0]!;
    nurse = await env.newPage();
  });
  after(async () => {
    await env?.close();
  });

  it('finds the patient by personnummer and opens the question battery', async () => {
    await env.loginAs(nurse, demoStaff.distriktsskoterska.id);
    await nurse.getByRole('link', { name: 'Sök patient' }).click();
    // The short form with a hyphen, as people write it.
    await nurse
      .getByLabel('Personnummer eller namn')
      .fill(`${patient.identifier.slice(2, 8)}-${patient.identifier.slice(8)}`);
    await nurse.getByRole('button', { name: 'Sök' }).click();
    await nurse.getByRole('link', { name: patient.name }).click();
    await nurse.getByText('Patienten har inget patientkontrakt ännu').waitFor();
    await nurse.getByRole('link', { name: 'Upprätta patientkontrakt' }).click();
    await nurse.getByRole('heading', { level: 1, name: 'Upprätta patientkontrakt' }).waitFor();
    await env.check(nurse, '05-flow-start');
    await nurse.getByRole('button', { name: 'Börja' }).click();
  });

  it('fills the contract from the answers', async () => {
    const next = () => nurse.getByRole('button', { name: 'Nästa' }).click();
    await nurse.getByRole('heading', { name: 'Vad är viktigt för dig?' }).waitFor();
    await nurse.getByLabel('Med patientens egna ord').fill('Att klara mig själv hemma och gå till affären.');
    await env.check(nurse, '06-flow-question');
    await next();
    await nurse.getByRole('heading', { name: /Gemensamt mål/ }).waitFor();
    await nurse.getByRole('button', { name: 'Lägg till mål' }).click();
    await nurse
      .getByRole('group', { name: 'Mål 1' })
      .getByLabel('Mål', { exact: true })
      .fill('Gå 2 km utan vila');
    await next();
    await nurse.getByRole('button', { name: 'Lägg till', exact: true }).click();
    await nurse.getByLabel('Eget ansvar 1').fill('Väga mig varje morgon');
    await next();
    await nurse.getByLabel('Nej', { exact: true }).check(); // fast vårdkontakt?
    await next();
    await nurse.getByLabel('Ja', { exact: true }).check(); // fast läkarkontakt?
    await next();
    await nurse.getByRole('heading', { name: 'Vet du ditt nästa steg?' }).waitFor();
    await nurse.getByLabel('Ja', { exact: true }).check();
    await nurse.getByLabel('Datum och tid').fill(daysFromNow(5).local);
    await nurse.getByRole('button', { name: 'Lägg till kontakt eller insats' }).click();
    const activity = nurse.getByRole('group', { name: 'Kontakt eller insats 1' });
    await activity.getByLabel('Vad').fill('Läkarbesök, årskontroll');
    await activity.getByLabel('När').fill(daysFromNow(20).date);
    await activity.getByLabel('Vem utför (enhet)').selectOption({ label: 'Vårdcentralen Söder (Region)' });
    await env.check(nurse, '07-flow-next-contact');
    await next();
    await nurse.getByLabel('Ja', { exact: true }).check(); // överblick över planer
    await nurse.getByRole('button', { name: 'Lägg till plan' }).click();
    const plan = nurse.getByRole('group', { name: 'Plan 1' });
    await plan.getByLabel('Typ av plan').selectOption({ label: 'SIP, samordnad individuell plan' });
    await plan.getByLabel('Var finns planen (journal, system)').fill('Lifecare SIP, ärende 4711');
    await next();
    await nurse.getByRole('heading', { name: 'Vill du ha hjälp att samordna din vård?' }).waitFor();
    await nurse.getByLabel('Ja', { exact: true }).check();
    await next();
    await nurse.getByRole('heading', { name: 'Sammanfattning', level: 2 }).waitFor();
    await nurse.getByLabel('När ska ni följa upp kontraktet?').fill(daysFromNow(180).date);
    await nurse
      .getByLabel('Vad gör patienten om hen blir sämre?')
      .fill('Ringer vårdcentralen. Vid andnöd: 112.');
    await env.check(nurse, '08-flow-summary');
    // No fast vårdkontakt yet, and the patient wants one: an active contract needs one (or a
    // recorded decline), so she saves a draft and is led to appoint one.
    await nurse.getByRole('button', { name: 'Spara som utkast' }).click();
  });

  it('leads to appointing a fast vårdkontakt, and then refuses a second one', async () => {
    await nurse.getByText('Patienten vill ha hjälp att samordna sin vård').waitFor();
    const form = nurse.getByRole('region', { name: 'Utse en kontakt' });
    assert.equal(await form.getByLabel('Roll').inputValue(), 'fast-vardkontakt');
    await form.getByLabel('Patienten har bett om det').check();
    await form.getByLabel('Ompröva senast').fill(daysFromNow(90).date);
    await form.getByRole('button', { name: 'Utse', exact: true }).click();
    await nurse.getByText('Fast vårdkontakt är utsedd.').first().waitFor();
    // The form is back, and now explains why there cannot be a second one.
    await form.getByText('Patienten har redan en fast vårdkontakt').waitFor();
    await form.getByText(/Det kan bara finnas en fast vårdkontakt/).waitFor();
    await env.check(nurse, '09-care-contacts');
    await nurse.getByRole('link', { name: 'Tillbaka till patienten' }).click();
    await nurse.getByRole('heading', { level: 1, name: patient.name }).waitFor();
    await nurse.getByText('Karin Lindberg').first().waitFor();
    await nurse.getByText('Gå 2 km utan vila').waitFor();
    await nurse.getByText(/Lifecare SIP, ärende 4711/).waitFor();
  });

  it("shows a physician's change on the nurse's worklist without a reload", async () => {
    await nurse.getByRole('link', { name: 'Mina patienter' }).click();
    await nurse.getByRole('link', { name: patient.name }).first().waitFor();
    await nurse.getByText('Uppdateras automatiskt').waitFor();
    const before = nurse.url();

    const physician = await env.newPage();
    await env.loginAs(physician, demoStaff.lakareSoder.id);
    await physician.getByRole('link', { name: 'Sök patient' }).click();
    await physician.getByLabel('Personnummer eller namn').fill(patient.identifier);
    await physician.getByRole('button', { name: 'Sök' }).click();
    await physician.getByRole('link', { name: patient.name }).click();
    await physician.getByRole('link', { name: 'Ändra kontraktet' }).click();
    const goal = physician.getByRole('group', { name: 'Mål 1' }).getByLabel('Mål', { exact: true });
    await goal.fill('Gå 3 km utan vila');
    await env.check(physician, '10-contract-edit');
    await physician.getByRole('button', { name: 'Spara ändringarna' }).click();
    await physician
      .getByText(/Sparat \(version \d+\) kl/)
      .first()
      .waitFor();

    await nurse.getByText('Sara Holm: Ändrade mål').waitFor({ timeout: 15_000 });
    assert.equal(nurse.url(), before, 'the worklist was not reloaded or left');
    await env.check(nurse, '11-worklist-notification');
    await nurse.getByRole('button', { name: /Markera som läst/ }).click();
    await nurse.getByText('Du har inga olästa notiser.').waitFor();
  });
});
