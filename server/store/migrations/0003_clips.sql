CREATE TYPE "public"."clip_source" AS ENUM('staff', 'resident');--> statement-breakpoint
CREATE TYPE "public"."clip_state" AS ENUM('uploaded', 'processing', 'in_review', 'published', 'rejected', 'failed');--> statement-breakpoint
CREATE TYPE "public"."vod_job_state" AS ENUM('queued', 'running', 'done', 'failed', 'cancelled');--> statement-breakpoint
ALTER TYPE "public"."broadcast_kind" ADD VALUE 'premiere';--> statement-breakpoint
ALTER TYPE "public"."ended_reason" ADD VALUE 'finished';--> statement-breakpoint
CREATE TABLE "channel_follows" (
	"channel_id" uuid NOT NULL,
	"viewer_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_follows_channel_id_viewer_id_pk" PRIMARY KEY("channel_id","viewer_id")
);
--> statement-breakpoint
CREATE TABLE "clip_likes" (
	"clip_id" uuid NOT NULL,
	"viewer_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clip_likes_clip_id_viewer_id_pk" PRIMARY KEY("clip_id","viewer_id")
);
--> statement-breakpoint
CREATE TABLE "clip_views" (
	"clip_id" uuid NOT NULL,
	"viewer_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clip_views_clip_id_viewer_id_pk" PRIMARY KEY("clip_id","viewer_id")
);
--> statement-breakpoint
CREATE TABLE "clips" (
	"id" uuid PRIMARY KEY NOT NULL,
	"channel_id" uuid NOT NULL,
	"title" text NOT NULL,
	"filename" text NOT NULL,
	"source" "clip_source" NOT NULL,
	"uploader_id" uuid,
	"submitter_viewer_id" text,
	"submitter_name" text,
	"submitter_ip" text,
	"state" "clip_state" NOT NULL,
	"size_bytes" bigint NOT NULL,
	"duration_seconds" double precision,
	"width" integer,
	"height" integer,
	"probe" jsonb,
	"progress" double precision DEFAULT 0 NOT NULL,
	"eta_seconds" integer,
	"error" jsonb,
	"reject_reason" text,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"renditions" jsonb,
	"likes" integer DEFAULT 0 NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clips_reject_reason_check" CHECK (("clips"."state" = 'rejected') = ("clips"."reject_reason" is not null))
);
--> statement-breakpoint
CREATE TABLE "vod_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clip_id" uuid NOT NULL,
	"state" "vod_job_state" DEFAULT 'queued' NOT NULL,
	"node_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"progress" double precision DEFAULT 0 NOT NULL,
	"eta_seconds" integer,
	"error" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "broadcasts" ADD COLUMN "clip_id" uuid;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "review_staff_uploads" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "channel_follows" ADD CONSTRAINT "channel_follows_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clip_likes" ADD CONSTRAINT "clip_likes_clip_id_clips_id_fk" FOREIGN KEY ("clip_id") REFERENCES "public"."clips"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clip_views" ADD CONSTRAINT "clip_views_clip_id_clips_id_fk" FOREIGN KEY ("clip_id") REFERENCES "public"."clips"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clips" ADD CONSTRAINT "clips_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clips" ADD CONSTRAINT "clips_uploader_id_accounts_id_fk" FOREIGN KEY ("uploader_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clips" ADD CONSTRAINT "clips_reviewed_by_accounts_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vod_jobs" ADD CONSTRAINT "vod_jobs_clip_id_clips_id_fk" FOREIGN KEY ("clip_id") REFERENCES "public"."clips"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clips_feed_idx" ON "clips" USING btree ("channel_id","state","published_at");--> statement-breakpoint
CREATE INDEX "clips_state_idx" ON "clips" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "clips_submitter_idx" ON "clips" USING btree ("submitter_viewer_id","created_at");--> statement-breakpoint
CREATE INDEX "clips_submitter_ip_idx" ON "clips" USING btree ("submitter_ip","created_at");--> statement-breakpoint
CREATE INDEX "vod_jobs_state_idx" ON "vod_jobs" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "vod_jobs_clip_idx" ON "vod_jobs" USING btree ("clip_id");--> statement-breakpoint
CREATE UNIQUE INDEX "vod_jobs_active_clip_idx" ON "vod_jobs" USING btree ("clip_id") WHERE "vod_jobs"."state" in ('queued', 'running');--> statement-breakpoint
ALTER TABLE "broadcasts" ADD CONSTRAINT "broadcasts_clip_id_clips_id_fk" FOREIGN KEY ("clip_id") REFERENCES "public"."clips"("id") ON DELETE restrict ON UPDATE no action;