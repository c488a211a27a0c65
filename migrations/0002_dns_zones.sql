CREATE TABLE "dns_zone_journal" (
	"client_id" text NOT NULL,
	"version" bigint NOT NULL,
	"serial" bigint NOT NULL,
	"prev_serial" bigint NOT NULL,
	"op" text NOT NULL,
	"type" text NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dns_zone_records" (
	"client_id" text NOT NULL,
	"type" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "dns_zone_records_client_id_type_value_pk" PRIMARY KEY("client_id","type","value")
);
--> statement-breakpoint
CREATE TABLE "dns_zones" (
	"client_id" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"tsig_secret" text NOT NULL,
	"policy" text DEFAULT 'nxdomain' NOT NULL,
	"notify" text[] DEFAULT '{}'::text[] NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	"serial" bigint DEFAULT 0 NOT NULL,
	"journal_from" bigint DEFAULT 0 NOT NULL,
	"position" "xid8" DEFAULT '0'::xid8 NOT NULL,
	"shape" text DEFAULT '' NOT NULL,
	"reconciled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rpz_file_serials" (
	"client_id" text NOT NULL,
	"variant" text NOT NULL,
	"content_hash" text NOT NULL,
	"serial" bigint NOT NULL,
	CONSTRAINT "rpz_file_serials_client_id_variant_pk" PRIMARY KEY("client_id","variant")
);
--> statement-breakpoint
ALTER TABLE "dns_zone_journal" ADD CONSTRAINT "dns_zone_journal_client_id_dns_zones_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."dns_zones"("client_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dns_zone_records" ADD CONSTRAINT "dns_zone_records_client_id_dns_zones_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."dns_zones"("client_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dns_zones" ADD CONSTRAINT "dns_zones_client_id_clients_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("client_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dns_zone_journal_version_idx" ON "dns_zone_journal" USING btree ("client_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "dns_zones_label_key" ON "dns_zones" USING btree ("label");