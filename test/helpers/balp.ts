/**
 * The elements IHE Basic Audit Log Patterns (BALP) requires of an AuditEvent about a patient,
 * checked on what our FHIR AuditEvent search and read answer.
 * See: https://profiles.ihe.net/ITI/BALP/ (IHE.BasicAudit.PatientRead, PatientQuery) and
 * https://hl7.org/fhir/R4/auditevent.html
 */
import assert from 'node:assert/strict';
import type { FhirAuditEvent } from '../../src/fhir/audit-event-mapper.ts';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';

const hasCode = (a: FhirAuditEvent['agent'][number], system: string, code: string): boolean =>
  a.type.coding.some((c) => c.system === system && c.code === code);

/**
 * The Basic AuditEvent pattern of a RESTful interaction about a patient: type =
 * audit-event-type|rest, subtype from restful-interaction, action, recorded, outcome; one agent who
 * is the requestor (the user, v3-ParticipationType|IRCP) with a who and no network address; the
 * client and the server (DICOM Source/Destination Role ID, one each, each with a who, requestor
 * false), the server with its network address; the source with its observer and type; the patient
 * entity (audit-entity-type 1, object-role 1) whose what is the Patient; and the data entity
 * (audit-entity-type 2, object-role 4) with a what.
 *
 * A read (action R, subtype read: IHE.BasicAudit.PatientRead) also has its fixed values: the
 * client is the Destination Role ID (110152) and the server the Source Role ID (110153), and a
 * successful read's outcome is 0.
 */
export function assertBalp(e: FhirAuditEvent, patientId: string): void {
  const where = `AuditEvent/${e.id}`;
  assert.equal(e.resourceType, 'AuditEvent', where);
  assert.equal(e.type.system, 'http://terminology.hl7.org/CodeSystem/audit-event-type', where);
  assert.equal(e.type.code, 'rest', where);
  const subtype = e.subtype.find((s) => s.system === 'http://hl7.org/fhir/restful-interaction');
  assert.ok(subtype?.code, `subtype from restful-interaction ${where}`);
  assert.ok(['C', 'R', 'U', 'D', 'E'].includes(e.action), where);
  assert.ok(Date.parse(e.recorded) > 0, where);
  assert.ok(['0', '4', '8', '12'].includes(e.outcome), where);

  const requestors = e.agent.filter((a) => a.requestor);
  assert.equal(requestors.length, 1, `one requestor ${where}`);
  const user = requestors[0]!;
  assert.ok(
    hasCode(user, 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', 'IRCP'),
    `the user is the information recipient ${where}`,
  );
  assert.ok(user.who.reference ?? user.who.display, `the user is named ${where}`);
  assert.equal(user.network, undefined, `a user is no network device ${where}`);
  for (const a of e.agent) assert.ok(a.type.coding.length > 0 && a.who !== undefined, where);

  const sources = e.agent.filter((a) => hasCode(a, DCM, '110153'));
  const destinations = e.agent.filter((a) => hasCode(a, DCM, '110152'));
  assert.equal(sources.length, 1, `one Source Role ID ${where}`);
  assert.equal(destinations.length, 1, `one Destination Role ID ${where}`);
  const isRead = e.action === 'R';
  const [client, server] = isRead ? [destinations[0]!, sources[0]!] : [sources[0]!, destinations[0]!];
  for (const a of [client, server]) {
    assert.equal(a.requestor, false, where);
    assert.ok(a.who.display ?? a.who.reference ?? a.who.identifier, where);
  }
  assert.equal(server.who.display, 'Patientkontrakt FHIR-server', `the server by its role ${where}`);
  assert.equal(server.network?.type, '5', `the server's network address is its URI ${where}`);
  assert.match(server.network?.address ?? '', /^https?:\/\/.+\/fhir$/, where);

  assert.ok(e.source.observer !== undefined && e.source.type.length > 0, where);

  const patient = e.entity.find(
    (x) =>
      x.type.system === ENTITY_TYPE &&
      x.type.code === '1' &&
      x.role.system === OBJECT_ROLE &&
      x.role.code === '1',
  );
  assert.equal(patient?.what.reference, `Patient/${patientId}`, `the patient entity ${where}`);
  const data = e.entity.find(
    (x) =>
      x.type.system === ENTITY_TYPE &&
      x.type.code === '2' &&
      x.role.system === OBJECT_ROLE &&
      ['3', '4', '20'].includes(x.role.code),
  );
  assert.ok(data?.what.display ?? data?.what.reference, `the data entity ${where}`);

  if (isRead && subtype.code === 'read' && e.outcome === '0') {
    assert.equal(client.type.coding[0]!.code, '110152', where);
    assert.equal(server.type.coding[0]!.code, '110153', where);
  }
}
