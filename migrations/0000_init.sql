CREATE TABLE "clients" (
	"client_id" text PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"secret_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"client_id" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" smallint NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_client_id_key_pk" PRIMARY KEY("client_id","key")
);
--> statement-breakpoint
CREATE TABLE "indicator_changes" (
	"pos" bigserial PRIMARY KEY NOT NULL,
	"xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"indicator_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"prev_audience_tokens" text[],
	"prev_exclude_tokens" text[],
	"prev_pap" text,
	"prev_deliverable" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indicators" (
	"id" uuid PRIMARY KEY NOT NULL,
	"source_org_id" uuid NOT NULL,
	"type" text NOT NULL,
	"platform" text DEFAULT '' NOT NULL,
	"value" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"tlp" text NOT NULL,
	"pap" text NOT NULL,
	"grading" jsonb,
	"confidence" smallint NOT NULL,
	"audience" jsonb,
	"exclude" jsonb,
	"attribution" text NOT NULL,
	"audience_tokens" text[] NOT NULL,
	"exclude_tokens" text[] NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone NOT NULL,
	"pending" boolean DEFAULT false NOT NULL,
	"sector" text,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"description" text,
	"first_seen" timestamp with time zone,
	"last_seen" timestamp with time zone,
	"references" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"relations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"shared_infrastructure" text[] DEFAULT '{}'::text[] NOT NULL,
	"disputed" boolean DEFAULT false NOT NULL,
	"content_hash" text NOT NULL,
	"withdrawn_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orgs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"country" text NOT NULL,
	"sectors" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "saved_feeds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"filters" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sharing_group_members" (
	"group_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	CONSTRAINT "sharing_group_members_group_id_org_id_pk" PRIMARY KEY("group_id","org_id")
);
--> statement-breakpoint
CREATE TABLE "sharing_groups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"alg" text NOT NULL,
	"private_key_pem" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "warninglist_entries" (
	"list" text NOT NULL,
	"action" text NOT NULL,
	"entry" text NOT NULL,
	"description" text,
	"added_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "warninglist_entries_list_entry_pk" PRIMARY KEY("list","entry")
);
--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_changes" ADD CONSTRAINT "indicator_changes_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicators" ADD CONSTRAINT "indicators_source_org_id_orgs_id_fk" FOREIGN KEY ("source_org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_feeds" ADD CONSTRAINT "saved_feeds_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sharing_group_members" ADD CONSTRAINT "sharing_group_members_group_id_sharing_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."sharing_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sharing_group_members" ADD CONSTRAINT "sharing_group_members_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clients_org_idx" ON "clients" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "indicator_changes_xid_pos_idx" ON "indicator_changes" USING btree ("xid","pos");--> statement-breakpoint
CREATE INDEX "indicator_changes_indicator_idx" ON "indicator_changes" USING btree ("indicator_id");--> statement-breakpoint
CREATE UNIQUE INDEX "indicators_natural_key" ON "indicators" USING btree ("source_org_id","type","platform","value");--> statement-breakpoint
CREATE INDEX "indicators_observable_idx" ON "indicators" USING btree ("type","value");--> statement-breakpoint
CREATE INDEX "indicators_audience_tokens_idx" ON "indicators" USING gin ("audience_tokens");--> statement-breakpoint
CREATE INDEX "indicators_source_id_idx" ON "indicators" USING btree ("source_org_id","id");--> statement-breakpoint
CREATE INDEX "indicators_valid_until_active_idx" ON "indicators" USING btree ("valid_until") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "indicators_pending_idx" ON "indicators" USING btree ("valid_from") WHERE pending;--> statement-breakpoint
CREATE UNIQUE INDEX "orgs_name_key" ON "orgs" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "saved_feeds_org_idx" ON "saved_feeds" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "sharing_group_members_org_idx" ON "sharing_group_members" USING btree ("org_id");