/**
 * FHIR Organization and Practitioner, read only: the units and staff that every other resource
 * refers to by HSA-id (units, their care providers, staff), so that those references resolve
 * here too. They carry no version (the directory keeps none), so no ETag. Directory data, not patient
 * data: any logged-in user may read it, as in the JSON API.
 * See: https://hl7.org/fhir/R4/organization.html and https://hl7.org/fhir/R4/practitioner.html
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError } from '../domain/errors.ts';
import type { CareProvider, CareUnit, Staff } from '../services/directory-service.ts';
import { hsaReference, systems } from './datatypes.ts';
import type { FhirDeps } from './fhir-routes.ts';
import { IdParams, ReadQuery } from './search.ts';

export interface FhirOrganization {
  resourceType: 'Organization';
  id: string;
  identifier: { system: string; value: string }[];
  active: true;
  type: { text: string }[];
  name: string;
  telecom?: { system: 'phone'; value: string }[];
  partOf?: ReturnType<typeof hsaReference>;
}

export interface FhirPractitioner {
  resourceType: 'Practitioner';
  id: string;
  identifier: { system: string; value: string }[];
  active: boolean;
  name: { family: string; given: string[]; text: string }[];
  telecom?: { system: 'phone'; value: string }[];
  qualification: { code: { text: string } }[];
}

/** A care unit (vårdenhet) as an Organization, part of its care provider (vårdgivare). */
export function unitToFhir(unit: CareUnit): FhirOrganization {
  return {
    resourceType: 'Organization',
    id: unit.id,
    identifier: [{ system: systems.hsaId, value: unit.id }],
    active: true,
    type: [{ text: unit.kind }],
    name: unit.name,
    ...(unit.phone ? { telecom: [{ system: 'phone' as const, value: unit.phone }] } : {}),
    partOf: hsaReference('Organization', unit.providerId, unit.providerName),
  };
}

/** A care provider (vårdgivare: region, municipality or private company) as an Organization. */
export function providerToFhir(provider: CareProvider): FhirOrganization {
  return {
    resourceType: 'Organization',
    id: provider.id,
    identifier: [{ system: systems.hsaId, value: provider.id }],
    active: true,
    type: [{ text: provider.kind }],
    name: provider.name,
  };
}

/** A member of staff as a Practitioner; the profession is the qualification. */
export function staffToFhir(staff: Staff): FhirPractitioner {
  return {
    resourceType: 'Practitioner',
    id: staff.id,
    identifier: [{ system: systems.hsaId, value: staff.id }],
    active: staff.isActive,
    name: [
      { family: staff.familyName, given: [staff.givenName], text: `${staff.givenName} ${staff.familyName}` },
    ],
    ...(staff.phone ? { telecom: [{ system: 'phone' as const, value: staff.phone }] } : {}),
    qualification: [{ code: { text: staff.title ?? staff.profession } }],
  };
}

export function directoryFhirRoutes(deps: FhirDeps): FastifyPluginAsyncTypebox {
  const { directory } = deps;
  return async (app) => {
    app.get(
      '/Organization/:id',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request, reply) => {
        const found = await directory.findOrganization(request.params.id);
        if (!found) throw new DomainError('not_found');
        return reply.send('unit' in found ? unitToFhir(found.unit) : providerToFhir(found.provider));
      },
    );

    app.get(
      '/Practitioner/:id',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request, reply) => {
        const staff = await directory.findStaff(request.params.id);
        if (!staff) throw new DomainError('not_found');
        return reply.send(staffToFhir(staff));
      },
    );
  };
}
