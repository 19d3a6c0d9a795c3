CREATE TYPE "public"."ended_reason" AS ENUM('staff', 'no-media', 'transcoder-failed', 'media-node-lost');--> statement-breakpoint
ALTER TABLE "broadcasts" ADD COLUMN "ended_reason" "ended_reason";--> statement-breakpoint
ALTER TABLE "broadcasts" ADD COLUMN "replay_ready_at" timestamp with time zone;--> statement-breakpoint
-- Broadcasts ended before reasons were recorded: staff's end and the grace period's left no trace
-- apart; they count as ended by staff (written by hand, after drizzle-kit generate).
UPDATE "broadcasts" SET "ended_reason" = 'staff' WHERE "state" = 'ended';--> statement-breakpoint
ALTER TABLE "broadcasts" ADD CONSTRAINT "broadcasts_ended_reason_check" CHECK (("broadcasts"."state" = 'ended') = ("broadcasts"."ended_reason" is not null));