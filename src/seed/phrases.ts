/**
 * The words of the demo contracts, per condition: what matters (in the patient's own voice,
 * question 1 of the Gävleborg battery), goals with an ambition level, what the patient is responsible for,
 * planned activities and where they happen, and what to do if things get worse.
 */
import type { AmbitionLevel } from '../domain/contract.ts';
import type { Profession } from './names.ts';
import type { Condition } from './patients.ts';

/** Where an activity happens: the patient's vårdcentral, a hospital clinic or a municipal unit. */
export type Place =
  | 'vc'
  | 'medicin'
  | 'kardiologi'
  | 'lung'
  | 'diabetes'
  | 'geriatrik'
  | 'rehab'
  | 'onkologi'
  | 'hemsjukvard'
  | 'sabo'
  | 'hemtjanst';

export interface ActivityTemplate {
  what: string;
  place: Place;
  /** Who is named as responsible, when someone is. */
  profession?: Profession;
  /** May recur in one plan (a phone follow-up every month). */
  repeats?: boolean;
}

export const whatMatters: readonly string[] = [
  'Att kunna gå till affären själv.',
  'Att orka vara med barnbarnen.',
  'Att få bo kvar hemma så länge det går.',
  'Att kunna fortsätta sjunga i kören.',
  'Att slippa åka in akut till sjukhuset.',
  'Att veta vem jag ska ringa när jag blir orolig.',
  'Att kunna ta hand om min trädgård.',
  'Att orka promenera med hunden varje dag.',
  'Att kunna träffa mina vänner på torsdagarna.',
  'Att känna mig trygg på nätterna.',
  'Att inte behöva berätta samma sak för alla jag träffar i vården.',
  'Att kunna resa till sommarstugan i sommar.',
  'Att orka arbeta halvtid.',
  'Att sova bättre.',
  'Att min fru inte ska behöva oroa sig för mig.',
  'Att kunna laga mat själv.',
  'Att få vara med och bestämma om min behandling.',
  'Att klara trapporna hemma.',
];

export const generalGoals: readonly (readonly [string, AmbitionLevel])[] = [
  ['Klara mig själv i hemmet', 'bibehalla'],
  ['Kunna vara med på barnbarnens aktiviteter', 'bibehalla'],
  ['Promenera 30 minuter om dagen', 'forbattra'],
  ['Färre akuta besök än förra året', 'forbattra'],
];

export const goals: Record<Condition, readonly (readonly [string, AmbitionLevel])[]> = {
  diabetes1: [['Jämnare blodsocker utan svåra känningar', 'forbattra']],
  diabetes2: [
    ['HbA1c under 52 mmol/mol', 'forbattra'],
    ['Gå ner fem kilo till sommaren', 'forbattra'],
  ],
  astma: [['Inga astmabesvär nattetid', 'forbattra']],
  kol: [
    ['Klara att gå till affären utan att behöva vila', 'bibehalla'],
    ['Inga sjukhusinläggningar för KOL under året', 'bibehalla'],
  ],
  hjartsvikt: [
    ['Hålla vikten stabil och undvika vätska i kroppen', 'bibehalla'],
    ['Kunna gå i trapporna hemma', 'forbattra'],
  ],
  flimmer: [['Undvika stroke genom att ta blodförtunnande varje dag', 'bromsa']],
  njure: [['Bromsa försämringen av njurfunktionen', 'bromsa']],
  demens: [
    ['Kunna bo kvar hemma med stöd', 'bibehalla'],
    ['Känna mig trygg och lugn under dagarna', 'lindra'],
  ],
  cancer: [
    ['Genomföra behandlingen enligt planen', 'bota'],
    ['Ha så lite smärta som möjligt', 'lindra'],
  ],
  depression: [['Sova bättre och orka mer', 'forbattra']],
};

export const generalResponsibilities: readonly string[] = [
  'Ta med läkemedelslistan till varje besök.',
  'Säga till om jag inte förstår vad som sägs.',
  'Ringa min fasta vårdkontakt om något förändras.',
];

export const responsibilities: Record<Condition, readonly string[]> = {
  diabetes1: ['Mäta blodsockret och titta på kurvan varje kväll.', 'Ha druvsocker med mig.'],
  diabetes2: [
    'Ta blodsocker två morgnar i veckan och skriva upp värdena.',
    'Titta på mina fötter varje kväll.',
  ],
  astma: ['Ta min inhalator morgon och kväll även när jag mår bra.'],
  kol: ['Ta mina inhalationer morgon och kväll.', 'Promenera 20 minuter varje dag.', 'Inte röka.'],
  hjartsvikt: ['Väga mig varje morgon.', 'Dricka högst en och en halv liter om dagen.'],
  flimmer: ['Ta blodförtunnande läkemedel varje dag.'],
  njure: ['Lämna blodprov inför varje läkarbesök.'],
  demens: ['Min dotter hjälper mig med dosetten varje söndag.'],
  cancer: ['Ringa kontaktsjuksköterskan direkt vid feber över 38 grader.'],
  depression: ['Gå ut på en promenad varje dag.', 'Säga till om jag mår sämre.'],
};

export const baseActivities: readonly ActivityTemplate[] = [
  { what: 'Läkemedelsgenomgång', place: 'vc', profession: 'lakare' },
  { what: 'Uppföljande besök hos distriktssköterska', place: 'vc', profession: 'distriktsskoterska' },
  { what: 'Telefonuppföljning', place: 'vc', repeats: true },
  { what: 'Provtagning inför läkarbesök', place: 'vc' },
];

export const elderlyActivities: readonly ActivityTemplate[] = [
  { what: 'Influensavaccination', place: 'vc' },
  { what: 'Pneumokockvaccination', place: 'vc' },
];

export const activities: Record<Condition, readonly ActivityTemplate[]> = {
  diabetes1: [
    { what: 'Besök på diabetesmottagningen', place: 'diabetes', profession: 'sjukskoterska' },
    { what: 'Genomgång av glukosmätningen', place: 'diabetes' },
  ],
  diabetes2: [
    { what: 'Årskontroll diabetes', place: 'vc', profession: 'sjukskoterska' },
    { what: 'Fotundersökning', place: 'vc' },
    { what: 'Ögonbottenfotografering', place: 'diabetes' },
    { what: 'Provtagning HbA1c', place: 'vc', repeats: true },
  ],
  astma: [{ what: 'Astmakontroll', place: 'vc' }],
  kol: [
    { what: 'Spirometri', place: 'vc' },
    { what: 'KOL-skola i grupp', place: 'vc' },
    { what: 'Fysisk aktivitet på recept', place: 'rehab', profession: 'fysioterapeut' },
    { what: 'Besök på lungmottagningen', place: 'lung', profession: 'lakare' },
  ],
  hjartsvikt: [
    { what: 'Hjärtsviktskontroll', place: 'kardiologi', profession: 'sjukskoterska', repeats: true },
    { what: 'Ultraljud av hjärtat', place: 'kardiologi' },
    { what: 'Provtagning NT-proBNP', place: 'vc' },
  ],
  flimmer: [
    { what: 'EKG', place: 'vc' },
    { what: 'Uppföljning av blodförtunnande behandling', place: 'vc', profession: 'lakare' },
  ],
  njure: [
    { what: 'Provtagning njurfunktion', place: 'vc', repeats: true },
    { what: 'Besök på medicinmottagningen', place: 'medicin', profession: 'lakare' },
  ],
  demens: [
    { what: 'Uppföljning på geriatriska mottagningen', place: 'geriatrik', profession: 'lakare' },
    { what: 'Bedömning av hjälpmedel', place: 'hemsjukvard', profession: 'arbetsterapeut' },
    { what: 'Samtal om anhörigstöd', place: 'hemtjanst' },
  ],
  cancer: [
    {
      what: 'Samtal med kontaktsjuksköterska',
      place: 'onkologi',
      profession: 'sjukskoterska',
      repeats: true,
    },
    { what: 'Behandling enligt Min vårdplan', place: 'onkologi' },
    { what: 'Röntgenkontroll', place: 'onkologi' },
  ],
  depression: [
    { what: 'Samtal med kurator', place: 'vc', profession: 'kurator' },
    { what: 'Uppföljning av depression', place: 'vc', profession: 'lakare' },
  ],
};

export const municipalActivities: readonly ActivityTemplate[] = [
  {
    what: 'Hembesök av kommunsjuksköterska',
    place: 'hemsjukvard',
    profession: 'sjukskoterska',
    repeats: true,
  },
  { what: 'Bedömning av fallrisk', place: 'hemsjukvard', profession: 'fysioterapeut' },
  { what: 'Uppföljning av SIP', place: 'hemsjukvard' },
  { what: 'Genomgång av hemtjänstinsatserna', place: 'hemtjanst' },
];

export const saboActivities: readonly ActivityTemplate[] = [
  { what: 'Vårdplanering på boendet', place: 'sabo', profession: 'sjukskoterska' },
];

const callNurse = 'Jag ringer min fasta vårdkontakt på telefontiden.';
const urgent = 'Om det inte kan vänta ringer jag 1177, och vid livshotande tillstånd 112.';

/** What to do if the patient gets worse, by the condition that matters most. */
export const ifWorse: Partial<Record<Condition, string>> & { default: string } = {
  hjartsvikt:
    'Om jag går upp mer än två kilo på tre dagar eller blir mer andfådd ringer jag hjärtsviktssjuksköterskan. Vid svår andnöd eller bröstsmärta ringer jag 112.',
  kol: 'Vid ökad andfåddhet eller förändrade slem tar jag extradosen enligt min plan och ringer vårdcentralen samma dag. Vid svår andnöd ringer jag 112.',
  diabetes1:
    'Om blodsockret är över 15 flera gånger eller jag får känningar som inte går över ringer jag diabetesmottagningen. Kvällar och helger ringer jag 1177.',
  diabetes2:
    'Om blodsockret är över 15 flera gånger ringer jag diabetessjuksköterskan. Kvällar och helger ringer jag 1177.',
  demens:
    'Min familj ringer kommunsjuksköterskan om jag blir förvirrad eller får feber. Vid akut försämring ringer de 112.',
  cancer:
    'Vid feber över 38 grader ringer jag direkt till kontaktsjuksköterskan, dygnet runt via avdelningen.',
  default: `${callNurse} ${urgent}`,
};

/** The order in which a condition decides the ifWorse text. */
export const ifWorsePriority: readonly Condition[] = [
  'cancer',
  'hjartsvikt',
  'kol',
  'demens',
  'diabetes1',
  'diabetes2',
];
