CREATE TABLE "pending_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"indicator_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"prev_audience_tokens" text[],
	"prev_exclude_tokens" text[],
	"prev_pap" text,
	"prev_deliverable" boolean DEFAULT false NOT NULL,
	"prev_tlp" text,
	"prev_sector" text,
	"prev_confidence" smallint,
	"prev_shared" boolean,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "idempotency_keys" ALTER COLUMN "status_code" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ALTER COLUMN "response" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "indicator_changes" ADD COLUMN "prev_tlp" text;--> statement-breakpoint
ALTER TABLE "indicator_changes" ADD COLUMN "prev_sector" text;--> statement-breakpoint
ALTER TABLE "indicator_changes" ADD COLUMN "prev_confidence" smallint;--> statement-breakpoint
ALTER TABLE "indicator_changes" ADD COLUMN "prev_shared" boolean;--> statement-breakpoint
ALTER TABLE "indicator_changes" ADD COLUMN "only_orgs" uuid[];--> statement-breakpoint
ALTER TABLE "pending_changes" ADD CONSTRAINT "pending_changes_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Tombstones are now judged against the audience as it was when the change was written: group
-- tokens in the recorded previous audience become the groups' members. Rows written before this
-- migration are expanded with today's membership, the best that is known of the past.
UPDATE "indicator_changes" c SET "prev_audience_tokens" = array(
	SELECT t FROM unnest(c."prev_audience_tokens") AS t WHERE t NOT LIKE 'g:%'
	UNION
	SELECT 'o:' || m."org_id"::text FROM "sharing_group_members" m
	WHERE 'g:' || m."group_id"::text = ANY (c."prev_audience_tokens")
)
WHERE EXISTS (SELECT 1 FROM unnest(c."prev_audience_tokens") AS t WHERE t LIKE 'g:%');
