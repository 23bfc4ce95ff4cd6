/**
 * Provenance: who wrote each version of a contract (CarePlan), when, from which unit, and
 * whether it created or updated the plan. One Provenance per contract version, id
 * `<contractId>-v<version>`, its target that version (`CarePlan/<id>/_history/<n>`).
 * See: https://hl7.org/fhir/R4/provenance.html
 */
import type { ContractVersion } from '../domain/contract.ts';
import { hsaReference, type Reference } from './datatypes.ts';
import { REDACTED } from './careplan-routes.ts';

export interface FhirProvenance {
  resourceType: 'Provenance';
  id: string;
  meta?: { security: (typeof REDACTED)[] };
  target: { reference: string }[];
  recorded: string;
  activity: { coding: { system: string; code: string; display: string }[] };
  agent: {
    type: { coding: { system: string; code: string; display: string }[] };
    who: Reference;
    onBehalfOf?: Reference;
  }[];
}

const DATA_OPERATION = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';
const PARTICIPANT_TYPE = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';

/** The id of the Provenance of one contract version. */
export function provenanceId(contractId: string, version: number): string {
  return `${contractId}-v${version}`;
}

/** The contract and version a Provenance id names, or null. */
export function parseProvenanceId(id: string): { contractId: string; version: number } | null {
  const match = /^(.+)-v(\d{1,9})$/.exec(id);
  return match ? { contractId: match[1]!, version: Number(match[2]) } : null;
}

/** Who wrote a version: staff by HSA-id, the patient, a system client; nobody named when a spärr hides their unit. */
function authorOf(version: ContractVersion): Reference {
  const { actor } = version;
  if (actor.id === '') return { display: 'Uppgiften är spärrad' };
  switch (actor.kind) {
    case 'staff':
      return hsaReference('Practitioner', actor.id, actor.name);
    case 'patient':
      return {
        reference: `Patient/${actor.id}`,
        type: 'Patient',
        ...(actor.name ? { display: actor.name } : {}),
      };
    case 'system':
      return { type: 'Device', display: actor.name || actor.id };
  }
}

/** The Provenance of one version (already redacted for the reader, `redactVersions`). */
export function versionToProvenance(version: ContractVersion, isFirst: boolean): FhirProvenance {
  const hidden = version.actor.id === '';
  return {
    resourceType: 'Provenance',
    id: provenanceId(version.contractId, version.version),
    ...(hidden ? { meta: { security: [REDACTED] } } : {}),
    target: [{ reference: `CarePlan/${version.contractId}/_history/${version.version}` }],
    recorded: version.changedAt,
    activity: {
      coding: [
        isFirst
          ? { system: DATA_OPERATION, code: 'CREATE', display: 'create' }
          : { system: DATA_OPERATION, code: 'UPDATE', display: 'revise' },
      ],
    },
    agent: [
      {
        type: { coding: [{ system: PARTICIPANT_TYPE, code: 'author', display: 'Author' }] },
        who: authorOf(version),
        ...(version.actor.unitId ? { onBehalfOf: hsaReference('Organization', version.actor.unitId) } : {}),
      },
    ],
  };
}
