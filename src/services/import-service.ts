/**
 * Imports for follow-up through the API (docs/imports.md): only staff with the role
 * `uppfoljning`, at the unit they act from; every import is written to the access log before it
 * starts, then the file is read row by row straight into the database (import-reader.ts).
 */
import type { Readable } from 'node:stream';
import type { StaffActor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import { FOLLOWUP_ROLE } from '../domain/followup.ts';
import type { ImportKind } from '../domain/import-formats.ts';
import type { ImportStore } from '../store/import-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';
import type { AdmissionService } from './admission-service.ts';
import { runImport, type ImportFormat, type ImportRequest } from './import-reader.ts';
import { importedFactsEffect } from './person-register.ts';
import type { PersonStatusService } from './person-status-service.ts';

export type { ImportFormat };

export interface ImportServiceDeps {
  imports: ImportStore;
  access: AccessService;
  clock: () => Date;
  /** Applies the register's facts of a population import to the patients they concern. */
  personStatus?: Pick<PersonStatusService, 'applyRegisterFacts' | 'publish'> | undefined;
  /**
   * Imports admissions with their effects on enrolments in mobile teams (admission-service.ts);
   * without it the kind `admissions` is refused.
   */
  admissions?: Pick<AdmissionService, 'importAdmissions'> | undefined;
  /** Told the outcome of every run (metrics). */
  onRun?: ((kind: ImportKind, result: ImportOutcome) => void) | undefined;
}

/** How a run ended: written (with or without refused rows), refused whole, or failed. */
export type ImportOutcome = 'imported' | 'imported-with-errors' | 'refused' | 'failed';

/** Refuses anyone but follow-up staff. */
function assertImporter(actor: StaffActor): void {
  if (actor.role !== FOLLOWUP_ROLE) throw new DomainError('forbidden', 'Import kräver rollen uppfoljning.');
}

export function createImportService(deps: ImportServiceDeps) {
  return {
    /** Refuses anyone but follow-up staff, before the body is read. */
    requireImporter: assertImporter,

    /** Logs and runs one import of `body`. */
    async importFile(
      ctx: RequestContext,
      actor: StaffActor,
      body: Readable,
      request: { kind: ImportKind; format: ImportFormat; mode: ImportRequest['mode']; source: string },
    ) {
      assertImporter(actor);
      const { kind, format, mode, source } = request;
      await deps.access.logAction(ctx, null, 'import', `${kind} ${format} ${mode} ${source}`);
      try {
        const now = deps.clock();
        const facts =
          kind === 'population' && deps.personStatus
            ? importedFactsEffect(deps.personStatus, actor.staffId, now)
            : undefined;
        const request = { format, mode, source, actorId: actor.staffId, unitId: actor.unitId, now };
        if (kind === 'admissions' && !deps.admissions)
          throw new DomainError('not_found', 'Importen av vårdtillfällen finns inte här.');
        const result =
          kind === 'admissions' && deps.admissions
            ? await deps.admissions.importAdmissions(body, request)
            : await runImport(
                deps.imports,
                body,
                { kind, ...request },
                facts ? { population: facts.after } : {},
              );
        if (result.importId !== null) facts?.publish();
        deps.onRun?.(
          kind,
          result.importId === null ? 'refused' : result.errorCount > 0 ? 'imported-with-errors' : 'imported',
        );
        return result;
      } catch (error) {
        deps.onRun?.(kind, 'failed');
        throw error;
      }
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
