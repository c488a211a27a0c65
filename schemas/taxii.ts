/** TAXII 2.1 resources (OASIS TAXII 2.1, §4–§5) as this server answers them (src/modules/taxii/), and STIX bundles in. */
import { Type, type TSchema } from '@sinclair/typebox';
import { Timestamp } from './common.js';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

const StixObject = Type.Object({ type: Type.String(), id: Type.String() }, { additionalProperties: true, description: 'a STIX 2.1 object' });

export const TaxiiDiscovery = Type.Object({
  title: Type.String(),
  description: Type.Optional(Type.String()),
  default: Type.Optional(Type.String({ description: 'the default API root' })),
  api_roots: Type.Array(Type.String()),
}, { $id: 'TaxiiDiscovery' });

export const TaxiiApiRoot = Type.Object({
  title: Type.String(),
  description: Type.Optional(Type.String()),
  versions: Type.Array(Type.String()),
  max_content_length: Type.Integer({ description: 'the largest request body, in bytes' }),
}, { $id: 'TaxiiApiRoot' });

export const TaxiiCollection = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.Optional(Type.String()),
  alias: Type.Optional(Type.String()),
  can_read: Type.Boolean(),
  can_write: Type.Boolean(),
  media_types: Type.Optional(Type.Array(Type.String())),
}, { $id: 'TaxiiCollection' });

export const TaxiiCollections = Type.Object({
  collections: Type.Optional(Type.Array(Type.Ref(TaxiiCollection))),
}, { $id: 'TaxiiCollections' });

export const TaxiiEnvelope = Type.Object({
  more: Type.Optional(Type.Boolean()),
  next: Type.Optional(Type.String({ description: 'pass as `next` (with the same filters) for the following page' })),
  objects: Type.Optional(Type.Array(StixObject)),
}, { $id: 'TaxiiEnvelope', description: 'Indicators in the order they were added, each preceded by the TLP marking definitions and source identities it references' });

export const TaxiiManifestRecord = Type.Object({
  id: Type.String(),
  date_added: Timestamp,
  version: Type.String(),
  media_type: Type.Optional(Type.String()),
}, { $id: 'TaxiiManifestRecord' });

export const TaxiiManifest = Type.Object({
  more: Type.Optional(Type.Boolean()),
  next: Type.Optional(Type.String()),
  objects: Type.Optional(Type.Array(Type.Ref(TaxiiManifestRecord))),
}, { $id: 'TaxiiManifest' });

export const TaxiiVersions = Type.Object({
  more: Type.Optional(Type.Boolean()),
  next: Type.Optional(Type.String()),
  versions: Type.Optional(Type.Array(Type.String())),
}, { $id: 'TaxiiVersions' });

export const TaxiiStatusDetails = Type.Object({
  id: Type.String(),
  version: Type.String(),
  message: Type.Optional(Type.String()),
}, { $id: 'TaxiiStatusDetails' });

export const TaxiiStatus = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('complete'), Type.Literal('pending')]),
  request_timestamp: Type.Optional(Timestamp),
  total_count: Type.Integer(),
  success_count: Type.Integer(),
  successes: Type.Optional(Type.Array(Type.Ref(TaxiiStatusDetails))),
  failure_count: Type.Integer(),
  failures: Type.Optional(Type.Array(Type.Ref(TaxiiStatusDetails))),
  pending_count: Type.Integer(),
  pendings: Type.Optional(Type.Array(Type.Ref(TaxiiStatusDetails))),
}, { $id: 'TaxiiStatus' });

export const TaxiiError = Type.Object({
  title: Type.String(),
  description: Type.Optional(Type.String()),
  error_id: Type.Optional(Type.String()),
  error_code: Type.Optional(Type.String()),
  http_status: Type.Optional(Type.String()),
  external_details: Type.Optional(Type.String()),
  details: Type.Optional(Type.Object({}, { additionalProperties: true })),
}, { $id: 'TaxiiError', description: 'A TAXII error message; error_code names the problem as the rest of the API does (e.g. insufficient-scope)' });

/** What POST …/objects/ takes: an envelope of STIX objects. */
export const TaxiiEnvelopeInput = Type.Object({
  objects: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 10_000 }),
  more: Type.Optional(Type.Boolean()),
  next: Type.Optional(Type.String()),
}, { $id: 'TaxiiEnvelopeInput', additionalProperties: false, description: 'At most 10,000 objects; each is reported in the status resource' });

/** A STIX bundle submitted to POST /v1/indicators (application/stix+json). */
export const StixBundleInput = Type.Object({
  type: Type.Literal('bundle'),
  id: Type.String({ pattern: '^bundle--', maxLength: 100 }),
  spec_version: Type.Optional(Type.String({ description: 'STIX 2.0 bundles carry one' })),
  objects: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 10_000 }),
}, { $id: 'StixBundleInput', additionalProperties: false, description: 'A STIX 2.1 bundle of at most 10,000 objects; each gets a result at its index' });

/** A TAXII resource as a response, in the TAXII media type. */
export const taxiiResponse = (schema: TSchema, description: string) => ({
  description,
  content: { [TAXII_MEDIA_TYPE]: { schema: Type.Ref(schema) } },
});

/** TAXII error messages for these statuses. */
export function taxiiErrorResponses(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(statuses.map((status) => [status, taxiiResponse(TaxiiError, 'a TAXII error message')]));
}

export const taxiiSchemas = [
  TaxiiDiscovery, TaxiiApiRoot, TaxiiCollection, TaxiiCollections, TaxiiEnvelope, TaxiiManifestRecord, TaxiiManifest,
  TaxiiVersions, TaxiiStatusDetails, TaxiiStatus, TaxiiError, TaxiiEnvelopeInput, StixBundleInput,
];
