-- The audit log and its chain are append-only (contract §7): any UPDATE, DELETE or TRUNCATE
-- raises, whoever asks. Only the tables' owner can disable these triggers; the service's
-- production role is not the owner and holds no UPDATE, DELETE or TRUNCATE grant on them either
-- (README, "Least-privilege database role"). Whatever gets past both is found by the chain's
-- verification (src/modules/audit/chain.ts).
CREATE FUNCTION "audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the audit log is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
		USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log"
	FOR EACH ROW EXECUTE FUNCTION "audit_append_only"();
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
	FOR EACH STATEMENT EXECUTE FUNCTION "audit_append_only"();
--> statement-breakpoint
CREATE TRIGGER "audit_chain_append_only" BEFORE UPDATE OR DELETE ON "audit_chain"
	FOR EACH ROW EXECUTE FUNCTION "audit_append_only"();
--> statement-breakpoint
CREATE TRIGGER "audit_chain_no_truncate" BEFORE TRUNCATE ON "audit_chain"
	FOR EACH STATEMENT EXECUTE FUNCTION "audit_append_only"();
--> statement-breakpoint
-- Indicator ids (random UUIDs) do not compress: stored out of line as they are, a delivery's
-- 10,000 ids cost no compression attempt on the request that records them.
ALTER TABLE "audit_log" ALTER COLUMN "indicator_ids" SET STORAGE EXTERNAL;
--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "versions" SET STORAGE EXTERNAL;
