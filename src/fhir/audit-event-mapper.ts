/**
 * AuditEvent: the access log as FHIR, following IHE Basic Audit Log Patterns (BALP): the REST
 * interaction (type `rest`, subtype from restful-interaction), action, recorded, outcome, the
 * user agent (requestor) beside the client and the server, the source (this server), and the
 * patient entity (`object-role` 1) with the data entity (what was used: the route). The client
 * and the server carry the DICOM role of the data's direction: in a read the server is the
 * source (110153) and the client the destination (110152); in a search or a write the reverse.
 * The server's network address is the FHIR base URL it was reached at; the client's is not in
 * the log and so not here. The id is the entry's place in the log (`seq`). For the patient's own
 * log the agent is the unit and its care provider by name, as the JSON API shows it (never the
 * member of staff).
 * See: https://profiles.ihe.net/ITI/BALP/ and https://hl7.org/fhir/R4/auditevent.html
 */
import type { ChainedEntry } from '../domain/access-log.ts';
import type { AuditService } from '../services/audit-service.ts';
import { hsaReference, type Reference } from './datatypes.ts';

type OwnLogEntry = Awaited<ReturnType<AuditService['ownLog']>>[number];

/** Where the event happened: this server's FHIR base URL (`bundle.ts#baseUrl`). */
export interface AuditServer {
  baseUrl: string;
}

interface Coding {
  system: string;
  code: string;
  display?: string;
}

export interface FhirAuditEvent {
  resourceType: 'AuditEvent';
  id: string;
  type: Coding;
  subtype: Coding[];
  action: 'C' | 'R' | 'U' | 'D' | 'E';
  recorded: string;
  outcome: '0' | '4';
  outcomeDesc?: string;
  purposeOfEvent?: { coding: Coding[] }[];
  agent: Agent[];
  source: { site?: string; observer: Reference; type: Coding[] };
  entity: { what: Reference; type: Coding; role: Coding; query?: string }[];
}

interface Agent {
  type: { coding: Coding[] };
  who: Reference;
  requestor: boolean;
  network?: { address: string; type: '5' };
}

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const REST = {
  system: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
  code: 'rest',
  display: 'RESTful Operation',
};
const INTERACTION = 'http://hl7.org/fhir/restful-interaction';
const PATIENT_ENTITY = {
  type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
  role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
};
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
/** This server as the audit source (BALP: the observer is the Device that recorded the event). */
const SOURCE = {
  site: 'Patientkontrakt',
  observer: { display: 'Patientkontrakt FHIR-server' },
  type: [
    {
      system: 'http://terminology.hl7.org/CodeSystem/security-source-type',
      code: '4',
      display: 'Application Server',
    },
  ],
};

/** The CRUDE action and the REST interaction of a logged action. */
function interactionOf(action: string): { action: FhirAuditEvent['action']; subtype: string } {
  switch (action) {
    case 'read':
    case 'print':
    case 'export':
      return { action: 'R', subtype: 'read' };
    case 'search':
      return { action: 'E', subtype: 'search-type' };
    case 'write':
    case 'patient-action':
      return { action: 'U', subtype: 'update' };
    case 'register-consent':
    case 'block':
    case 'register-proxy':
    case 'register-relationship':
      return { action: 'C', subtype: 'create' };
    default:
      return { action: 'E', subtype: 'operation' };
  }
}

const userAgentType = {
  coding: [
    {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
      code: 'IRCP',
      display: 'information recipient',
    },
  ],
};
const SOURCE_ROLE = { system: DCM, code: '110153', display: 'Source Role ID' };
const DESTINATION_ROLE = { system: DCM, code: '110152', display: 'Destination Role ID' };

/**
 * The client and the server of the interaction (BALP: both required). A read's data flows from
 * the server (Source Role ID) to the client (Destination Role ID); a search's parameters and a
 * write's content flow from the client to the server, which BALP records the other way round.
 * A client without an OAuth client id is our own web app, by its session.
 */
function clientAndServer(
  action: FhirAuditEvent['action'],
  clientId: string | null,
  server: AuditServer,
): Agent[] {
  const isRead = action === 'R';
  return [
    {
      type: { coding: [isRead ? DESTINATION_ROLE : SOURCE_ROLE] },
      who: { display: clientId ?? 'Patientkontrakts webbapp (inloggad session)' },
      requestor: false,
    },
    {
      type: { coding: [isRead ? SOURCE_ROLE : DESTINATION_ROLE] },
      who: { display: 'Patientkontrakt FHIR-server' },
      requestor: false,
      network: { address: server.baseUrl, type: '5' },
    },
  ];
}

/** What every AuditEvent of a log entry opens with: its id, the REST interaction, the time. */
function eventHead(e: {
  seq: number | string;
  action: string;
  at: string;
}): Pick<FhirAuditEvent, 'resourceType' | 'id' | 'type' | 'subtype' | 'action' | 'recorded'> {
  const { action, subtype } = interactionOf(e.action);
  return {
    resourceType: 'AuditEvent',
    id: String(e.seq),
    type: REST,
    subtype: [{ system: INTERACTION, code: subtype }],
    action,
    recorded: e.at,
  };
}

function patientEntity(patientId: string) {
  return { what: { reference: `Patient/${patientId}`, type: 'Patient' }, ...PATIENT_ENTITY };
}

/** What was used (BALP's data entity, required): the route the entry names. */
function dataEntity(route: string) {
  return {
    what: { display: route },
    type: {
      system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
      code: '2',
      display: 'System Object',
    },
    role: {
      system: 'http://terminology.hl7.org/CodeSystem/object-role',
      code: '4',
      display: 'Domain Resource',
    },
  };
}

/** An entry of the whole log (log review): the user by HSA-id, their unit, the route, the legal basis. */
export function entryToAuditEvent(e: ChainedEntry, server: AuditServer): FhirAuditEvent {
  const user: Reference =
    e.actorKind === 'staff'
      ? hsaReference('Practitioner', e.actorId)
      : e.actorKind === 'patient'
        ? { reference: `Patient/${e.actorId}`, type: 'Patient' }
        : { type: 'Device', display: e.actorId };
  const head = eventHead(e);
  return {
    ...head,
    outcome: e.outcome === 'allowed' ? '0' : '4',
    ...(e.outcome === 'denied' ? { outcomeDesc: 'Åtkomst nekad' } : {}),
    ...(e.legalBasis
      ? {
          purposeOfEvent: [
            {
              coding: [
                e.isEmergency
                  ? { system: ACT_REASON, code: 'ETREAT', display: 'Emergency Treatment' }
                  : { system: ACT_REASON, code: 'TREAT', display: 'treatment' },
              ],
            },
          ],
        }
      : {}),
    agent: [
      { type: userAgentType, who: user, requestor: true },
      ...clientAndServer(head.action, e.clientId ?? null, server),
      ...(e.unitId
        ? [
            {
              type: { coding: [{ system: DCM, code: '110150', display: 'Application' }] },
              who: hsaReference('Organization', e.unitId),
              requestor: false,
            },
          ]
        : []),
    ],
    source: SOURCE,
    entity: [...(e.patientId ? [patientEntity(e.patientId)] : []), dataEntity(e.route)],
  };
}

/** An entry of the patient's own log: who looked is the unit and care provider, by name. */
export function ownEntryToAuditEvent(patientId: string, e: OwnLogEntry, server: AuditServer): FhirAuditEvent {
  const who = e.proxyName
    ? `${e.proxyName} (närstående eller ombud)`
    : [e.systemName === null ? e.unitName : `Systemet ${e.systemName}`, e.providerName]
        .filter((n): n is string => n !== null)
        .join(', ') || 'Okänd enhet';
  const head = eventHead(e);
  return {
    ...head,
    outcome: '0',
    ...(e.isEmergency
      ? {
          purposeOfEvent: [
            { coding: [{ system: ACT_REASON, code: 'ETREAT', display: 'Emergency Treatment' }] },
          ],
        }
      : {}),
    agent: [
      { type: userAgentType, who: { display: who }, requestor: true },
      ...clientAndServer(head.action, e.clientId, server),
    ],
    source: SOURCE,
    entity: [patientEntity(patientId), dataEntity(e.route)],
  };
}
