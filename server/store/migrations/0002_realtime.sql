CREATE TYPE "public"."question_state" AS ENUM('pending', 'open', 'answered', 'hidden');--> statement-breakpoint
CREATE TABLE "broadcast_audience" (
	"broadcast_id" uuid PRIMARY KEY NOT NULL,
	"likes" bigint DEFAULT 0 NOT NULL,
	"viewers_peak" integer DEFAULT 0 NOT NULL,
	"viewers_total" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "broadcast_viewers" (
	"broadcast_id" uuid NOT NULL,
	"viewer_id" text NOT NULL,
	"name" text,
	"last_chat_at" timestamp with time zone,
	CONSTRAINT "broadcast_viewers_broadcast_id_viewer_id_pk" PRIMARY KEY("broadcast_id","viewer_id")
);
--> statement-breakpoint
CREATE TABLE "moderation_words" (
	"word" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "realtime_bans" (
	"broadcast_id" uuid NOT NULL,
	"viewer_id" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"banned_at" timestamp with time zone NOT NULL,
	CONSTRAINT "realtime_bans_broadcast_id_viewer_id_pk" PRIMARY KEY("broadcast_id","viewer_id")
);
--> statement-breakpoint
CREATE TABLE "realtime_chat_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"broadcast_id" uuid NOT NULL,
	"author_id" text NOT NULL,
	"author_name" text NOT NULL,
	"text" text NOT NULL,
	"hidden" boolean DEFAULT false NOT NULL,
	"sent_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "realtime_questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"broadcast_id" uuid NOT NULL,
	"author_id" text NOT NULL,
	"author_name" text NOT NULL,
	"text" text NOT NULL,
	"state" "question_state" NOT NULL,
	"upvotes" integer DEFAULT 0 NOT NULL,
	"pinned" boolean DEFAULT false NOT NULL,
	"asked_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "realtime_settings" (
	"broadcast_id" uuid PRIMARY KEY NOT NULL,
	"chat" boolean DEFAULT true NOT NULL,
	"slow_mode_seconds" integer DEFAULT 0 NOT NULL,
	"pre_review" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "realtime_upvotes" (
	"question_id" uuid NOT NULL,
	"broadcast_id" uuid NOT NULL,
	"viewer_id" text NOT NULL,
	CONSTRAINT "realtime_upvotes_question_id_viewer_id_pk" PRIMARY KEY("question_id","viewer_id")
);
--> statement-breakpoint
ALTER TABLE "broadcast_audience" ADD CONSTRAINT "broadcast_audience_broadcast_id_broadcasts_id_fk" FOREIGN KEY ("broadcast_id") REFERENCES "public"."broadcasts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "broadcast_viewers" ADD CONSTRAINT "broadcast_viewers_broadcast_id_broadcasts_id_fk" FOREIGN KEY ("broadcast_id") REFERENCES "public"."broadcasts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "realtime_bans" ADD CONSTRAINT "realtime_bans_broadcast_id_broadcasts_id_fk" FOREIGN KEY ("broadcast_id") REFERENCES "public"."broadcasts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "realtime_chat_messages" ADD CONSTRAINT "realtime_chat_messages_broadcast_id_broadcasts_id_fk" FOREIGN KEY ("broadcast_id") REFERENCES "public"."broadcasts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "realtime_questions" ADD CONSTRAINT "realtime_questions_broadcast_id_broadcasts_id_fk" FOREIGN KEY ("broadcast_id") REFERENCES "public"."broadcasts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "realtime_settings" ADD CONSTRAINT "realtime_settings_broadcast_id_broadcasts_id_fk" FOREIGN KEY ("broadcast_id") REFERENCES "public"."broadcasts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "realtime_upvotes" ADD CONSTRAINT "realtime_upvotes_question_id_realtime_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."realtime_questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "realtime_upvotes" ADD CONSTRAINT "realtime_upvotes_broadcast_id_broadcasts_id_fk" FOREIGN KEY ("broadcast_id") REFERENCES "public"."broadcasts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "realtime_chat_broadcast_idx" ON "realtime_chat_messages" USING btree ("broadcast_id","sent_at");--> statement-breakpoint
CREATE INDEX "realtime_questions_broadcast_idx" ON "realtime_questions" USING btree ("broadcast_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "realtime_questions_pinned_idx" ON "realtime_questions" USING btree ("broadcast_id") WHERE "realtime_questions"."pinned";--> statement-breakpoint
CREATE INDEX "realtime_upvotes_viewer_idx" ON "realtime_upvotes" USING btree ("broadcast_id","viewer_id");