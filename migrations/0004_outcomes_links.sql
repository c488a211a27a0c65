CREATE TABLE "feed_positions" (
	"client_id" text NOT NULL,
	"feed" text NOT NULL,
	"xid" "xid8" NOT NULL,
	"pos" bigint NOT NULL,
	"pulled_at" timestamp with time zone NOT NULL,
	CONSTRAINT "feed_positions_client_id_feed_pk" PRIMARY KEY("client_id","feed")
);
--> statement-breakpoint
CREATE TABLE "indicator_links" (
	"indicator_id" uuid NOT NULL,
	"type" text NOT NULL,
	"platform" text DEFAULT '' NOT NULL,
	"value" text NOT NULL,
	"via" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outcomes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"pos" bigserial NOT NULL,
	"xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"indicator_id" uuid NOT NULL,
	"source_org_id" uuid NOT NULL,
	"reporter_org_id" uuid NOT NULL,
	"reporter_client_id" text NOT NULL,
	"action" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"note" text,
	"case_ref" text,
	"share_with_agencies" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_source_org_id_orgs_id_fk" FOREIGN KEY ("source_org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_reporter_org_id_orgs_id_fk" FOREIGN KEY ("reporter_org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "indicator_links_indicator_idx" ON "indicator_links" USING btree ("indicator_id");--> statement-breakpoint
CREATE INDEX "indicator_links_observable_idx" ON "indicator_links" USING btree ("type","value");--> statement-breakpoint
CREATE INDEX "outcomes_indicator_idx" ON "outcomes" USING btree ("indicator_id","id");--> statement-breakpoint
CREATE INDEX "outcomes_source_feed_idx" ON "outcomes" USING btree ("source_org_id","xid","pos");--> statement-breakpoint
CREATE INDEX "outcomes_reporter_idx" ON "outcomes" USING btree ("reporter_org_id");