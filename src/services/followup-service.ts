/**
 * Puts the follow-up figures together: counts per unit from src/store/followup-store.ts, summed
 * to care providers and the region, turned into shares, means, spreads and distances to targets
 * with the pure rules in src/domain/. The result is a list of tables, the same for the JSON API,
 * the CSV download, the printable page and `npm run report` (src/services/followup-render.ts).
 * Each section's tables are built in src/services/followup-sections/<section>.ts.
 */
import type { StaffActor } from '../domain/actor.ts';
import { defaultContinuitySettings, type ContinuitySettings } from '../domain/continuity.ts';
import { DomainError } from '../domain/errors.ts';
import {
  addDays,
  addMonths,
  DEFAULT_MIN_CELL,
  followupScopeOf,
  monthsOf,
  periodProblem,
  scopeAllows,
  shareOf,
  targets,
  windowEnding,
} from '../domain/followup.ts';
import type { PhysicianRates } from '../domain/mobile-team-followup.ts';
import { swedishDayBounds, swedishToday } from '../domain/swedish-time.ts';
import type { DirectoryStore } from '../store/directory-store.ts';
import type { FollowupStore } from '../store/followup-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';
import { sections, type FollowupReport, type Section, type Table } from '../domain/followup-report.ts';
import { fastLakarkontaktTables } from './followup-sections/fast-lakarkontakt.ts';
import { fragorTables } from './followup-sections/fragor.ts';
import { continuityTables } from './followup-sections/continuity.ts';
import { kontraktTables } from './followup-sections/kontrakt.ts';
import { mobilaTeamTables } from './followup-sections/mobila-team.ts';
import { saboTables } from './followup-sections/sabo.ts';
import type { FollowupOptions, SectionScope } from './followup-sections/scope.ts';
import { vardgarantiTables } from './followup-sections/vardgaranti.ts';

export type { FollowupOptions } from './followup-sections/scope.ts';

/** Builds the follow-up report (all sections, or the ones asked for). */
export async function buildFollowupReport(
  store: FollowupStore,
  options: FollowupOptions,
): Promise<FollowupReport> {
  const settings = options.settings ?? defaultContinuitySettings;
  const minCell = options.minCell ?? DEFAULT_MIN_CELL;
  const wanted = new Set(options.sections ?? sections);
  const trend = options.trend ?? true;
  const { period } = options;
  const baseline = options.baseline ?? addDays(period.from, -1);
  const monthEnds = trend ? monthsOf(period).map((m) => m.to) : [];
  const days = [...new Set([period.to, ...monthEnds])];
  const window = windowEnding(period.to, settings.windowMonths);
  const baseWindow = windowEnding(baseline, settings.windowMonths);
  // Every section's query starts at once: they are independent scans, and on PostgreSQL each
  // runs on a connection of its own (one after the other they would use one core of several).
  const when = <T>(section: Section, fetch: () => Promise<T>): Promise<T> | undefined => {
    if (!wanted.has(section)) return undefined;
    const pending = fetch();
    pending.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
    return pending;
  };
  const fetched = {
    listings: when('fast-lakarkontakt', () => store.listings(days)),
    residents: when('sabo', () => store.residents([period.to])),
    continuity: when('kontinuitet', () => store.continuityWindows([window, baseWindow], settings)),
    guarantee: when('vardgaranti', () => store.guarantee(period, targets.assessmentDays)),
    contracts: when('kontrakt', () => store.contracts(days)),
    newContracts: when('kontrakt', () => store.newContracts(period)),
    answers: when('fragor', () => store.answers(period)),
    mobileTeams: when('mobila-team', async () => {
      const from = swedishDayBounds(period.from).start;
      const to = swedishDayBounds(period.to).end;
      const t = store.mobileTeams;
      const [enrolments, assessments, escalations, acute, subregions, definitions, counts, responses] =
        await Promise.all([
          t.enrolments(from, to, period.to),
          t.assessments(from, to),
          t.escalations(from, to),
          t.acuteEvents(from, to),
          t.subregions(),
          t.surveyDefinitions(),
          t.surveyCounts(period.from, period.to),
          t.surveyResponses(period.from, period.to),
        ]);
      return {
        enrolments,
        assessments,
        escalations,
        acute,
        subregions,
        surveys: { definitions, counts, responses },
      };
    }),
  };
  const scope: SectionScope = {
    period,
    units: await store.units(),
    options,
    minCell,
    trend,
    monthEnds,
    share: (n, d) => shareOf(n, d, minCell),
  };
  const tables: Table[] = [];
  if (fetched.listings) tables.push(...fastLakarkontaktTables(await fetched.listings, scope));
  if (fetched.residents) tables.push(...saboTables(await fetched.residents, scope));
  if (fetched.continuity)
    tables.push(...continuityTables(await fetched.continuity, { window, baseline }, settings, scope));
  if (fetched.guarantee) tables.push(...vardgarantiTables(await fetched.guarantee, scope));
  if (fetched.contracts && fetched.newContracts)
    tables.push(...kontraktTables(await fetched.contracts, await fetched.newContracts, scope));
  if (fetched.answers) tables.push(...fragorTables(await fetched.answers, scope));
  if (fetched.mobileTeams)
    tables.push(...mobilaTeamTables(await fetched.mobileTeams, scope, options.physicianRates));

  return {
    title: 'Uppföljning: Patientkontrakt, fast läkarkontakt och kontinuitet',
    period,
    baseline,
    settings,
    minCell,
    filter: { unitId: options.unitId ?? null, providerId: options.providerId ?? null },
    tables,
  };
}

/** What a follow-up request asks for (the query of `GET /api/followup/{section}`). */
export interface FollowupQuery {
  from?: string | undefined;
  to?: string | undefined;
  baseline?: string | undefined;
  unitId?: string | undefined;
  providerId?: string | undefined;
  trend?: 'true' | 'false' | undefined;
  windowMonths?: string | undefined;
  minVisits?: string | undefined;
  professions?: string | undefined;
  contactTypes?: string | undefined;
}

export interface FollowupServiceDeps {
  directory: DirectoryStore;
  followup: FollowupStore;
  access: AccessService;
  clock: () => Date;
  settings: { continuity: ContinuitySettings; minCell: number; physicianRates?: PhysicianRates };
}

/**
 * Follow-up for staff: the role `uppfoljning` sees the region; a verksamhetschef their own care
 * provider's units beside the region's totals. Aggregates only, small cells suppressed; every
 * request is written to the access log.
 */
export function createFollowupService(deps: FollowupServiceDeps) {
  return {
    /** The report (`section` 'report') or one section, with the period it covers. */
    async report(ctx: RequestContext, actor: StaffActor, section: Section | 'report', q: FollowupQuery) {
      const scope = followupScopeOf(actor.role, actor.unitId, actor.providerId);
      if (scope.kind === 'none')
        throw new DomainError('forbidden', 'Uppföljning kräver rollen uppfoljning eller verksamhetschef.');
      const unitProvider = q.unitId ? ((await deps.directory.findUnit(q.unitId))?.providerId ?? null) : null;
      if (q.unitId && unitProvider === null) throw new DomainError('not_found', 'Vårdenheten finns inte.');
      if (!scopeAllows(scope, { unitId: q.unitId, providerId: q.providerId, unitProviderId: unitProvider }))
        throw new DomainError('forbidden', 'Du kan följa upp din egen vårdgivares enheter.');
      const providerId = q.providerId ?? (scope.kind === 'own' && !q.unitId ? scope.providerId : undefined);

      const today = swedishToday(deps.clock());
      const to = q.to ?? today;
      const period = { from: q.from ?? addMonths(`${to.slice(0, 7)}-01`, -11), to };
      const problem = periodProblem(period);
      if (problem) throw new DomainError('invalid_input', problem);
      const base = deps.settings.continuity;
      const settings: ContinuitySettings = {
        ...base,
        ...(q.windowMonths ? { windowMonths: Number(q.windowMonths) } : {}),
        ...(q.minVisits ? { minVisits: Number(q.minVisits) } : {}),
        ...(q.professions ? { professions: q.professions.split(',') } : {}),
        ...(q.contactTypes
          ? { contactTypes: q.contactTypes.split(',') as ContinuitySettings['contactTypes'][number][] }
          : {}),
      };
      await deps.access.logAction(
        ctx,
        null,
        'export',
        `uppföljning ${section} ${JSON.stringify({ ...q, ...period, providerId })}`,
      );
      const report = await buildFollowupReport(deps.followup, {
        period,
        ...(q.baseline ? { baseline: q.baseline } : {}),
        settings,
        minCell: deps.settings.minCell,
        ...(deps.settings.physicianRates ? { physicianRates: deps.settings.physicianRates } : {}),
        ...(q.unitId ? { unitId: q.unitId } : {}),
        ...(providerId ? { providerId } : {}),
        ...(section === 'report' ? {} : { sections: [section] }),
        trend: q.trend !== 'false',
      });
      return { report, period };
    },
  };
}

export type FollowupService = ReturnType<typeof createFollowupService>;
