CREATE TABLE "avatar_presets" (
	"name" text PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"storage_key" text NOT NULL,
	"sha256" text NOT NULL,
	"rig" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "videos" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"environment" text NOT NULL,
	"api_key_id" text,
	"status" text NOT NULL,
	"text" text,
	"audio_url" text,
	"avatar_id" text,
	"preset" text,
	"emotion" text NOT NULL,
	"language" text NOT NULL,
	"voice_id" text,
	"storage_key" text,
	"file_size_bytes" bigint,
	"duration_ms" integer,
	"inference_ms" integer,
	"credit_micros" bigint DEFAULT 0 NOT NULL,
	"failure" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"render_started_at" timestamp with time zone,
	"rendered_at" timestamp with time zone,
	CONSTRAINT "videos_status_check" CHECK ("videos"."status" in ('delayed', 'rendering', 'ready')),
	CONSTRAINT "videos_avatar_check" CHECK (("videos"."avatar_id" is null) <> ("videos"."preset" is null))
);
--> statement-breakpoint
ALTER TABLE "reservations" DROP CONSTRAINT "reservations_purpose_check";--> statement-breakpoint
ALTER TABLE "usage_events" DROP CONSTRAINT "usage_events_kind_check";--> statement-breakpoint
ALTER TABLE "videos" ADD CONSTRAINT "videos_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "videos_tenant_idx" ON "videos" USING btree ("tenant_id","environment","created_at");--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_purpose_check" CHECK ("reservations"."purpose" in ('realtime_turn', 'lipsync', 'realtime_session', 'video'));--> statement-breakpoint
ALTER TABLE "usage_events" ADD CONSTRAINT "usage_events_kind_check" CHECK ("usage_events"."kind" in ('realtime_turn', 'lipsync', 'realtime_session', 'video'));