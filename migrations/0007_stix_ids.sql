-- STIX ids are UUIDv5s of our ids under a fixed namespace (src/domain/stix.ts, STIX_ID_NAMESPACE):
-- TAXII finds an indicator by its STIX id through this index. uuid-ossp is a trusted extension
-- (PostgreSQL 13+: the database owner may create it).
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "indicators_stix_uuid_idx" ON "indicators" (uuid_generate_v5('245403c0-bef7-4e5d-885f-9bf43d3e16f8'::uuid, "id"::text));
