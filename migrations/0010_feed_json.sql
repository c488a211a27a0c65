ALTER TABLE "indicators" ADD COLUMN "feed_mid" text;--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "feed_tail" text;