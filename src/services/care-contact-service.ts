/**
 * Fixed contacts and treating roles: read them, appoint one (or record a declined offer),
 * change or end one (with If-Match), and change the care team as FHIR CareTeam does. Each use
 * case starts with the access decision (logged), lets store/care-contact-store.ts check and
 * write in one transaction (the one-holder rules are the database's unique indexes), and
 * publishes the change once committed. The JSON API and FHIR CareTeam write through here.
 */
import type { CareContactHistoryEntry } from '../domain/care-contact.ts';
import { DomainError } from '../domain/errors.ts';
import { swedishToday } from '../domain/swedish-time.ts';
import type {
  CareContactPatch,
  CareContactStore,
  CareContactView,
  NewCareContact,
} from '../store/care-contact-store.ts';
import type { CareTeamMember, CareTeamVersion } from '../store/care-team-store.ts';
import type { AccessService, Granted, RequestContext } from './access-service.ts';
import type { ChangeFeed } from './change-feed.ts';
import { grantsForSearch } from './search-grants.ts';

export type { CareContactView, NewCareContact } from '../store/care-contact-store.ts';
export type { CareTeamMember, CareTeamVersion } from '../store/care-team-store.ts';

export interface CareContactServiceDeps {
  careContacts: CareContactStore;
  access: AccessService;
  feed: ChangeFeed;
  clock: () => Date;
}

/** One change of a care team: a contact added (a change of holder names the one it replaces), or one ended. */
export interface CareTeamChange {
  add: NewCareContact | null;
  end: { contact: { id: string; version: number }; date: string } | null;
}

/**
 * A patient's care team as FHIR CareTeam shows it (every participant, also those the reader may
 * not see), at `version`, and the grant it was read under.
 */
export interface CareTeamAs {
  patientId: string;
  team: CareTeamMember[];
  version: number;
  grant: Granted;
}

/** The whole team (ended contacts and declined offers too) with the CareTeam's version now. */
export interface WholeTeam {
  contacts: CareContactView[];
  version: number;
}

export function createCareContactService(deps: CareContactServiceDeps) {
  const { careContacts, access, feed } = deps;

  /** The CareTeam now: its latest version (migration 027); version 0 and nobody when never a contact. */
  async function currentTeam(patientId: string, grant: Granted): Promise<CareTeamAs> {
    const now = await careContacts.currentTeam(patientId);
    return { patientId, team: now?.members ?? [], version: now?.version ?? 0, grant };
  }

  async function assign(
    ctx: RequestContext,
    patientId: string,
    input: NewCareContact,
  ): Promise<CareContactView> {
    const { contact, event } = await careContacts.assign(
      patientId,
      input,
      ctx.actor,
      swedishToday(deps.clock()),
    );
    feed.publish(event);
    return contact;
  }

  async function update(
    ctx: RequestContext,
    patientId: string,
    contactId: string,
    expectedVersion: number,
    patch: CareContactPatch,
  ): Promise<CareContactView> {
    const { contact, event } = await careContacts.update(
      patientId,
      contactId,
      expectedVersion,
      patch,
      ctx.actor,
    );
    if (event) feed.publish(event);
    return contact;
  }

  return {
    /** The patient's contacts the reader may see; `hasBlockedInformation` when one is left out (spärr). */
    async list(
      ctx: RequestContext,
      patientId: string,
      options: { includeEnded: boolean; limit: number },
    ): Promise<{ careContacts: CareContactView[]; hasBlockedInformation: boolean }> {
      const grant = await access.require(ctx, patientId, 'read');
      const all = await careContacts.listForPatient(patientId, options);
      const shown = all.filter((c) => !grant.isHidden(c.unitId));
      return { careContacts: shown, hasBlockedInformation: shown.length !== all.length };
    },

    /**
     * A page of the changes to the patient's contacts, newest first. A contact at a unit under
     * spärr is left out with its whole history, as in the list. Reads one more than the page: it
     * tells whether there is a next page.
     */
    async listHistory(
      ctx: RequestContext,
      patientId: string,
      page: { limit: number; before?: number | undefined },
    ): Promise<{
      entries: CareContactHistoryEntry[];
      hasBlockedInformation: boolean;
      /** The `seq` the next page starts before, or null on the last page. */
      nextBefore: number | null;
    }> {
      const grant = await access.require(ctx, patientId, 'read');
      const found = await careContacts.listHistory(patientId, { limit: page.limit + 1, before: page.before });
      const onPage = found.slice(0, page.limit);
      const entries = onPage.filter((e) => !grant.isHidden(e.after.unitId));
      const oldest = onPage[onPage.length - 1];
      return {
        entries,
        hasBlockedInformation: entries.length !== onPage.length,
        nextBefore: found.length > page.limit && oldest ? oldest.seq : null,
      };
    },

    /** Appoints a contact or records a declined offer; a second holder of a one-holder role is refused. */
    async assign(ctx: RequestContext, patientId: string, input: NewCareContact): Promise<CareContactView> {
      await access.require(ctx, patientId, 'write');
      return assign(ctx, patientId, input);
    },

    /** Changes or ends a contact if `expectedVersion` (If-Match, read once access is granted) is current. */
    async update(
      ctx: RequestContext,
      patientId: string,
      contactId: string,
      expectedVersion: () => number,
      patch: CareContactPatch,
    ): Promise<CareContactView> {
      await access.require(ctx, patientId, 'write');
      const expected = expectedVersion();
      if (!(await careContacts.find(patientId, contactId)))
        throw new DomainError('not_found', 'Kontakten finns inte.');
      return update(ctx, patientId, contactId, expected, patch);
    },

    /**
     * Carries out one change of the patient's care team (FHIR CareTeam), as `plan` makes it once
     * access is granted; a change of holder ends the old contact in the same transaction.
     * Answers the grant, for the care team to be shown as the writer may see it.
     */
    async changeTeam(
      ctx: RequestContext,
      patientId: string,
      plan: (grant: Granted, team: () => Promise<WholeTeam>) => Promise<CareTeamChange>,
    ): Promise<CareTeamAs> {
      const grant = await access.require(ctx, patientId, 'write');
      const { add, end } = await plan(grant, async () => ({
        contacts: await careContacts.listForPatient(patientId, { includeEnded: true }),
        version: (await careContacts.currentTeam(patientId))?.version ?? 0,
      }));
      if (add) {
        const replaces = end ? { replaces: { id: end.contact.id, version: end.contact.version } } : {};
        await assign(ctx, patientId, { ...add, ...replaces });
      } else if (end) {
        await update(ctx, patientId, end.contact.id, end.contact.version, {
          end: { date: end.date, reason: 'Avslutad via FHIR' },
        });
      }
      return currentTeam(patientId, grant);
    },

    /** The patient's care team (FHIR CareTeam read), once the reader may read the patient. */
    async readTeam(ctx: RequestContext, patientId: string): Promise<CareTeamAs> {
      return currentTeam(patientId, await access.require(ctx, patientId, 'read'));
    },

    /**
     * A page of the CareTeam's versions, newest first (`limit` of them below the version
     * `before`), decided and logged as a read of the team.
     */
    async readTeamHistory(
      ctx: RequestContext,
      patientId: string,
      page: { limit: number; before?: number | undefined },
    ): Promise<{ grant: Granted; versions: CareTeamVersion[] }> {
      const grant = await access.require(ctx, patientId, 'read');
      return { grant, versions: await careContacts.listTeamVersions(patientId, page) };
    },

    /** The CareTeam at one version, decided and logged as a read; not_found when it never had it. */
    async readTeamVersion(ctx: RequestContext, patientId: string, version: number): Promise<CareTeamAs> {
      const grant = await access.require(ctx, patientId, 'read');
      const then = await careContacts.findTeamVersion(patientId, version);
      if (!then) throw new DomainError('not_found');
      return { patientId, team: then.members, version: then.version, grant };
    },

    /** FHIR CareTeam search: the care team of each patient named that the reader may see. */
    async searchTeams(ctx: RequestContext, patientIds: readonly string[]): Promise<CareTeamAs[]> {
      const found: CareTeamAs[] = [];
      for (const [patientId, grant] of await grantsForSearch(access, ctx, patientIds)) {
        found.push(await currentTeam(patientId, grant));
      }
      return found;
    },
  };
}

export type CareContactService = ReturnType<typeof createCareContactService>;
