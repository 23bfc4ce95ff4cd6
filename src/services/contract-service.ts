/**
 * The Patientkontrakt's use cases: read it, draw it up, save a new version (with If-Match),
 * activate and end it. Each starts with the access decision (services/access-service.ts, logged
 * before anything is read or written), applies the rules of src/domain (version, status
 * transition, spärr carry-over, the patient's own parts, what an active contract must hold,
 * the diff and who is notified), lets store/contract-store.ts read and write, and publishes the
 * change on the feed once it is committed. The JSON API and FHIR (CarePlan, Appointment) save
 * through the same `update`, so a rule holds whichever route a writer takes.
 */
import {
  assertActivatable,
  assertReferencesFound,
  assertTransition,
  diffContent,
  referencedStaffIds,
  referencedUnitIds,
  summarizeChanges,
  validateContent,
  type ActivationFacts,
  type Contract,
  type ContractChange,
  type ContractContent,
  type ContractEndReason,
  type ContractStatus,
  type ContractVersion,
} from '../domain/contract.ts';
import { DomainError } from '../domain/errors.ts';
import { recipientsOf, type ChangeEvent, type ChangeEventKind } from '../domain/notification.ts';
import { keepPatientParts } from '../domain/patient-action.ts';
import { redactAuthors, redactContent, redactVersions, restoreHidden } from '../domain/redaction.ts';
import type { Actor } from '../domain/actor.ts';
import type { ContractStore, CurrentForUpdate } from '../store/contract-store.ts';
import type { Queryable } from '../store/db.ts';
import { recordChangeEvent, type StoredEvent } from '../store/event-store.ts';
import type { AccessService, Granted, RequestContext } from './access-service.ts';
import type { ChangeFeed } from './change-feed.ts';
import { grantsForSearch } from './search-grants.ts';

export interface ContractServiceDeps {
  contracts: ContractStore;
  access: AccessService;
  feed: ChangeFeed;
}

/** A contract's status and content, as a writer sends them. */
export interface ContractInput {
  status: ContractStatus;
  content: ContractContent;
}

/** A new contract: a draft, or active at once. */
export interface NewContractInput {
  status: 'draft' | 'active';
  content: ContractContent;
}

/**
 * A save of the patient's current contract. The parts that depend on the request are read only
 * once access is granted, so that a writer who may not write learns nothing (404) whatever
 * else is wrong with the request.
 */
export interface ContractSave {
  /** The version the change is based on (If-Match); throws 428/412 when missing or malformed. */
  expectedVersion: () => number;
  /** The route's own checks of the request, before the contract is read (FHIR: id, subject). */
  check?: () => Promise<void> | void;
  /** The contract the writer addressed (FHIR's id); an ended one is history and cannot be saved. */
  contractId?: string;
  /** The current contract and fast vårdkontakt, read with the session (PUT …/contract). */
  current?: CurrentForUpdate | undefined;
  /**
   * The new status and content: given (the JSON API), or made from the current contract (FHIR,
   * which maps its resource onto it).
   */
  input: ContractInput | ((current: Contract, grant: Granted) => ContractInput);
  /**
   * The content is the whole contract as the writer sees it (JSON PUT, CarePlan), so items held
   * by units hidden from them (spärr) are carried over: they cannot delete what they cannot see.
   * False when the change is made on the whole current content (Appointment).
   */
  isAsSeen: boolean;
}

/** A saved contract and the grant it was saved under (FHIR shows it as the writer may see it). */
export interface SavedAs {
  contract: Contract;
  grant: Granted;
}

/** A contract read and the grant it was read under: FHIR redacts it for the reader. */
export type ReadAs = SavedAs;

const notCurrent = 'Patienten har inget aktuellt patientkontrakt.';

/**
 * Ends the patient's current contract in `tx` because the patient died (the register or care
 * said so): the same status rule as a save (`assertTransition`), a new version with its history
 * row and what changed, the content kept as history, and a change event in the plan's timeline
 * without a notification of its own (the death's one notification tells the fast vårdkontakt,
 * services/person-status-service.ts). Null when there is no current contract. The caller
 * publishes the event after commit.
 */
export async function endContractFor(
  contracts: Pick<ContractStore, 'lockCurrent' | 'endWithReason'>,
  tx: Queryable,
  patientId: string,
  reason: ContractEndReason,
  actor: Actor,
): Promise<StoredEvent | null> {
  const current = await contracts.lockCurrent(tx, patientId);
  if (!current) return null;
  assertTransition(current.status, 'ended');
  const changes = diffContent(current.content, current.content, current.status, 'ended');
  const ended = await contracts.endWithReason(tx, current, reason, actor, changes);
  return recordChangeEvent(
    tx,
    {
      patientId,
      contractId: ended.id,
      kind: 'contract-ended',
      actor,
      summary: `Avslutade patientkontraktet: ${contractEndReasonLabels[reason]}`,
    },
    { notify: false },
  );
}

const contractEndReasonLabels: Record<ContractEndReason, string> = {
  died: 'patienten har avlidit',
  moved: 'patienten har flyttat från regionen',
};

export function createContractService(deps: ContractServiceDeps) {
  const { contracts, access, feed } = deps;

  /**
   * Throws contract_incomplete unless `after` holds what an active contract must. The fast
   * vårdkontakt is read only when the content records no decision about one, which is all the
   * rule needs to know of it.
   */
  async function assertMayBeActive(
    patientId: string,
    before: ContractInput | null,
    after: ContractInput,
  ): Promise<void> {
    if (after.status !== 'active') return;
    const facts: ActivationFacts = after.content.fastVardkontaktDecision
      ? { fastVardkontakt: null }
      : await contracts.readActivationFacts(patientId);
    assertActivatable(before, after, facts);
  }

  /** The change event of a save from `before` to `after`. */
  function eventOf(
    patientId: string,
    contractId: string,
    ctx: RequestContext,
    before: ContractStatus,
    after: ContractStatus,
    changes: readonly ContractChange[],
  ): ChangeEvent {
    const kind: ChangeEventKind =
      after === before ? 'contract-changed' : after === 'active' ? 'contract-activated' : 'contract-ended';
    const summary =
      kind === 'contract-activated'
        ? 'Aktiverade patientkontraktet'
        : kind === 'contract-ended'
          ? 'Avslutade patientkontraktet'
          : summarizeChanges(changes);
    return { patientId, contractId, kind, actor: ctx.actor, summary };
  }

  const service = {
    /** The patient's current contract as the reader may see it (items under spärr left out). */
    async readCurrent(
      ctx: RequestContext,
      patientId: string,
    ): Promise<{ contract: Contract; hasBlockedInformation: boolean }> {
      const grant = await access.require(ctx, patientId, 'read');
      const contract = await contracts.findCurrent(patientId);
      if (!contract) throw new DomainError('not_found', notCurrent);
      if (grant.hidesNothing) return { contract, hasBlockedInformation: false };
      const { content, hasBlockedInformation } = redactContent(contract.content, grant.isHidden);
      const authors = await contracts.authorUnits([contract.id]);
      return {
        contract: { ...redactAuthors(contract, authors.get(contract.id), grant.isHidden), content },
        hasBlockedInformation,
      };
    },

    /** The patient's contracts (the current one first, then ended ones, newest first), as the reader may see them. */
    async list(ctx: RequestContext, patientId: string, limit: number): Promise<Contract[]> {
      const grant = await access.require(ctx, patientId, 'read');
      const found = await contracts.listForPatient(patientId, limit);
      if (grant.hidesNothing) return found;
      const authors = await contracts.authorUnits(found.map((c) => c.id));
      return found.map((c) => ({
        ...redactAuthors(c, authors.get(c.id), grant.isHidden),
        content: redactContent(c.content, grant.isHidden).content,
      }));
    },

    /**
     * A page of a contract's versions, newest first, as the reader may see them. Reads one more
     * than the page: it tells whether there is a next page, and redaction needs the version
     * before the page's oldest to tell what changed in it.
     */
    async listVersions(
      ctx: RequestContext,
      patientId: string,
      contractId: string,
      page: { limit: number; before?: number | undefined },
    ): Promise<{ contract: Contract; versions: ContractVersion[]; hasMore: boolean }> {
      const grant = await access.require(ctx, patientId, 'read');
      const contract = await contracts.findById(contractId);
      if (!contract || contract.patientId !== patientId) throw new DomainError('not_found');
      const found = await contracts.listVersions(contract.id, { limit: page.limit + 1, before: page.before });
      const shown = grant.hidesNothing ? found : redactVersions(found, grant.isHidden);
      return { contract, versions: shown.slice(0, page.limit), hasMore: found.length > page.limit };
    },

    /**
     * A contract by its id (FHIR CarePlan, Goal, Appointment), once the reader may read its
     * patient; a contract that does not exist is not found before anything is decided. `page`,
     * given the contract, asks for versions of it too (null: none needed).
     */
    async readById(
      ctx: RequestContext,
      contractId: string,
      page?: (contract: Contract) => { limit?: number; before?: number } | null,
    ): Promise<ReadAs & { versions: ContractVersion[] | null }> {
      const contract = await contracts.findById(contractId);
      if (!contract) throw new DomainError('not_found');
      const grant = await access.require(ctx, contract.patientId, 'read');
      const wanted = page?.(contract) ?? null;
      const versions =
        wanted === null
          ? null
          : await contracts.listVersions(
              contract.id,
              wanted.limit === undefined ? undefined : { limit: wanted.limit, before: wanted.before },
            );
      return { contract, grant, versions };
    },

    /**
     * FHIR CarePlan search: the contracts of the patients named (or of the contracts named by id,
     * when no patient is), each patient decided as a search hit; with `contractIds`, only those.
     */
    async search(
      ctx: RequestContext,
      query: { patientIds?: readonly string[]; contractIds?: readonly string[] },
    ): Promise<ReadAs[]> {
      const wanted = query.contractIds === undefined ? null : new Set(query.contractIds);
      const patientIds =
        query.patientIds ??
        (await Promise.all([...(wanted ?? [])].map((id) => contracts.findById(id)))).flatMap((c) =>
          c ? [c.patientId] : [],
        );
      const found: ReadAs[] = [];
      for (const [patientId, grant] of await grantsForSearch(access, ctx, patientIds)) {
        for (const contract of await contracts.listForPatient(patientId)) {
          if (wanted && !wanted.has(contract.id)) continue;
          found.push({ contract, grant });
        }
      }
      return found;
    },

    /** FHIR Goal and Appointment search: the current contract of each patient named that the reader may see. */
    async searchCurrent(ctx: RequestContext, patientIds: readonly string[]): Promise<ReadAs[]> {
      const found: ReadAs[] = [];
      for (const [patientId, grant] of await grantsForSearch(access, ctx, patientIds)) {
        const contract = await contracts.findCurrent(patientId);
        if (contract) found.push({ contract, grant });
      }
      return found;
    },

    /**
     * Draws up a contract for the patient, as a draft or active. `input` is made once access is
     * granted (FHIR maps its resource then). Fails when the patient already has a current one.
     */
    async create(
      ctx: RequestContext,
      patientId: string,
      input: (grant: Granted) => NewContractInput,
    ): Promise<SavedAs> {
      const grant = await access.require(ctx, patientId, 'write');
      let next = input(grant);
      // The patient's words, proposals and answers are the patient's (domain/patient-action.ts).
      next = { ...next, content: keepPatientParts(null, next.content) };
      validateContent(next.content);
      assertReferencesFound(
        await contracts.findMissingReferences({
          units: referencedUnitIds(next.content),
          staff: referencedStaffIds(next.content),
        }),
      );
      const facts = await contracts.readCreationFacts(patientId);
      // A second current contract is refused as such, before what an active one lacks.
      if (facts.hasCurrent) throw new DomainError('contract_exists');
      // A plan is for the living: after a death there is nothing to plan (person-status-service.ts).
      if (facts.deceasedOn !== null)
        throw new DomainError(
          'invalid_transition',
          'Patienten har avlidit. Ett nytt patientkontrakt kan inte upprättas.',
        );
      assertActivatable(null, next, facts);
      const { contract, event } = await contracts.insert(patientId, {
        ...next,
        actor: ctx.actor,
        changes: diffContent(null, next.content, undefined, next.status),
        event: {
          patientId,
          kind: 'contract-created',
          actor: ctx.actor,
          summary:
            next.status === 'active' ? 'Upprättade patientkontrakt' : 'Påbörjade utkast till patientkontrakt',
        },
      });
      feed.publish(event);
      return { contract, grant };
    },

    /**
     * Saves a new version of the patient's current contract (also activating or ending it) if
     * the expected version is still the current one; otherwise nothing is written and the answer
     * is a version conflict. A save that changes nothing (the same status and content) writes no
     * version, event or notification and answers the current contract.
     *
     * The hot path (PUT …/contract) takes one round trip here: the current contract came with
     * the session, and the write is one statement that writes only if the contract is still at
     * the version read and every unit and person the content names exists.
     */
    async update(ctx: RequestContext, patientId: string, save: ContractSave): Promise<SavedAs> {
      const grant = await access.require(ctx, patientId, 'write');
      const expected = save.expectedVersion();
      await save.check?.();
      if (typeof save.input !== 'function') validateContent(save.input.content);
      const { contract: current, holderStaffId } =
        save.current ?? (await contracts.readCurrentForUpdate(patientId));
      if (save.contractId !== undefined && current?.id !== save.contractId)
        throw new DomainError(
          'invalid_transition',
          'Kontraktet är avslutat och kan inte ändras. Upprätta ett nytt kontrakt.',
        );
      if (!current) throw new DomainError('not_found', notCurrent);
      if (current.version !== expected) throw new DomainError('version_conflict');
      let next: ContractInput;
      if (typeof save.input === 'function') {
        next = save.input(current, grant);
        validateContent(next.content);
      } else {
        next = save.input;
      }
      assertTransition(current.status, next.status);
      // Items carried over from hidden units (spärr) are checked with the rest (security.md, Spärr).
      if (save.isAsSeen && !grant.hidesNothing)
        next = { ...next, content: restoreHidden(current.content, next.content, grant.isHidden) };
      next = { ...next, content: keepPatientParts(current.content, next.content) };
      await assertMayBeActive(patientId, current, next);
      const changes = diffContent(current.content, next.content, current.status, next.status);
      if (changes.length === 0) return { contract: current, grant };
      const event = eventOf(patientId, current.id, ctx, current.status, next.status, changes);
      const refs = { units: referencedUnitIds(next.content), staff: referencedStaffIds(next.content) };
      const written = await contracts.writeVersion(
        current,
        { ...next, actor: ctx.actor, changes, event },
        refs,
        recipientsOf(event, holderStaffId),
      );
      if (!written) {
        // A unit or person named does not exist, or another save came between the read and the write.
        assertReferencesFound(await contracts.findMissingReferences(refs));
        throw new DomainError('version_conflict');
      }
      feed.publish(written.event);
      return { contract: written.contract, grant };
    },

    /**
     * `update` of the contract with this id (FHIR CarePlan, Appointment): the save is made from
     * the contract found; one that does not exist is not found before anything is decided.
     */
    async updateById(
      ctx: RequestContext,
      contractId: string,
      save: (contract: Contract) => Omit<ContractSave, 'contractId'>,
    ): Promise<SavedAs> {
      const contract = await contracts.findById(contractId);
      if (!contract) throw new DomainError('not_found');
      return service.update(ctx, contract.patientId, { ...save(contract), contractId: contract.id });
    },
  };
  return service;
}

export type ContractService = ReturnType<typeof createContractService>;
