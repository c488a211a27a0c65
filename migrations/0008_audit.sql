CREATE TABLE "audit_chain" (
	"entry" bigint PRIMARY KEY NOT NULL,
	"log_id" bigint NOT NULL,
	"log_xid" "xid8" NOT NULL,
	"entry_hash" text NOT NULL,
	"hash" text NOT NULL,
	"chained_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"at" timestamp with time zone DEFAULT statement_timestamp() NOT NULL,
	"actor" text NOT NULL,
	"actor_org" uuid,
	"action" text NOT NULL,
	"path" text,
	"subject" text,
	"subject_org" uuid,
	"indicator_ids" uuid[],
	"versions" integer[],
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "indicator_recipients" (
	"indicator_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	CONSTRAINT "indicator_recipients_indicator_id_org_id_pk" PRIMARY KEY("indicator_id","org_id")
);
--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "purged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "value_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_chain_log_id_key" ON "audit_chain" USING btree ("log_id");--> statement-breakpoint
CREATE INDEX "audit_log_xid_id_idx" ON "audit_log" USING btree ("xid","id");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor","id");--> statement-breakpoint
CREATE INDEX "audit_log_actor_org_idx" ON "audit_log" USING btree ("actor_org","id");--> statement-breakpoint
CREATE INDEX "audit_log_subject_org_idx" ON "audit_log" USING btree ("subject_org","id");--> statement-breakpoint
CREATE INDEX "audit_log_action_idx" ON "audit_log" USING btree ("action","id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_indicators_idx" ON "audit_log" USING gin ("indicator_ids") WITH (gin_pending_list_limit=16384);--> statement-breakpoint
CREATE INDEX "indicators_retention_idx" ON "indicators" USING btree ((case when "status" = 'withdrawn' then least("updated_at", "valid_until") else "valid_until" end)) WHERE "indicators"."purged_at" is null and "indicators"."status" <> 'active';