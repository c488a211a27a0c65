CREATE TABLE "taxii_epochs" (
	"horizon" "xid8" PRIMARY KEY NOT NULL,
	"stamped_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "taxii_statuses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"resource" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "taxii_statuses" ADD CONSTRAINT "taxii_statuses_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "taxii_epochs_stamped_at_idx" ON "taxii_epochs" USING btree ("stamped_at");--> statement-breakpoint
CREATE INDEX "taxii_statuses_created_idx" ON "taxii_statuses" USING btree ("created_at");