/**
 * The directory (units, staff) and the question sets, as reference data for the screens. Every
 * signed-in member of staff may read them (the route requires an actor); they hold no patient
 * data, so no access decision is logged.
 */
import type { CareProvider, CareUnit, DirectoryStore } from '../store/directory-store.ts';
import type { QuestionSetStore } from '../store/question-set-store.ts';

export type { CareProvider, CareUnit, Staff } from '../store/directory-store.ts';

export interface DirectoryServiceDeps {
  directory: DirectoryStore;
  questionSets: QuestionSetStore;
}

export function createDirectoryService(deps: DirectoryServiceDeps) {
  return {
    listUnits: () => deps.directory.listUnits(),
    listStaff: (filter: { unitId?: string | undefined; limit: number }) => deps.directory.listStaff(filter),
    listQuestionSets: () => deps.questionSets.listCurrent(),
    /** A care unit, or else a care provider, by HSA-id (FHIR Organization); null when neither. */
    async findOrganization(id: string): Promise<{ unit: CareUnit } | { provider: CareProvider } | null> {
      const unit = await deps.directory.findUnit(id);
      if (unit) return { unit };
      const provider = (await deps.directory.listProviders()).find((p) => p.id === id);
      return provider ? { provider } : null;
    },
    /** A member of staff by HSA-id (FHIR Practitioner), or null. */
    findStaff: (id: string) => deps.directory.findStaff(id),
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
