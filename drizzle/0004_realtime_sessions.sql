CREATE TABLE "realtime_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"environment" text NOT NULL,
	"api_key_id" text,
	"avatar_id" text NOT NULL,
	"thread_id" text NOT NULL,
	"status" text DEFAULT 'created' NOT NULL,
	"config" jsonb NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"secret_hash" text NOT NULL,
	"secret_expires_at" timestamp with time zone NOT NULL,
	"secret_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"connected_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	"speech_ms" integer DEFAULT 0 NOT NULL,
	"billed_micros" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "realtime_sessions_status_check" CHECK ("realtime_sessions"."status" in ('created', 'connected', 'ended')),
	CONSTRAINT "realtime_sessions_end_reason_check" CHECK ("realtime_sessions"."end_reason" in ('client_closed', 'disconnected', 'idle_timeout', 'max_duration', 'ended_by_api', 'secret_expired', 'server_shutdown', 'error'))
);
--> statement-breakpoint
CREATE TABLE "realtime_threads" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"environment" text NOT NULL,
	"avatar_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "thread_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"thread_id" text NOT NULL,
	"session_id" text,
	"role" text NOT NULL,
	"text" text NOT NULL,
	"tool" jsonb,
	"interrupted" boolean DEFAULT false NOT NULL,
	"start_ms" integer,
	"end_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "thread_messages_role_check" CHECK ("thread_messages"."role" in ('user', 'assistant', 'tool'))
);
--> statement-breakpoint
ALTER TABLE "reservations" DROP CONSTRAINT "reservations_purpose_check";--> statement-breakpoint
ALTER TABLE "usage_events" DROP CONSTRAINT "usage_events_kind_check";--> statement-breakpoint
ALTER TABLE "realtime_sessions" ADD CONSTRAINT "realtime_sessions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "realtime_sessions" ADD CONSTRAINT "realtime_sessions_avatar_id_avatars_id_fk" FOREIGN KEY ("avatar_id") REFERENCES "public"."avatars"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "realtime_sessions" ADD CONSTRAINT "realtime_sessions_thread_id_realtime_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."realtime_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "realtime_threads" ADD CONSTRAINT "realtime_threads_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "realtime_threads" ADD CONSTRAINT "realtime_threads_avatar_id_avatars_id_fk" FOREIGN KEY ("avatar_id") REFERENCES "public"."avatars"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "thread_messages" ADD CONSTRAINT "thread_messages_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "thread_messages" ADD CONSTRAINT "thread_messages_thread_id_realtime_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."realtime_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "thread_messages" ADD CONSTRAINT "thread_messages_session_id_realtime_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."realtime_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "realtime_sessions_secret_idx" ON "realtime_sessions" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "realtime_sessions_tenant_idx" ON "realtime_sessions" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "realtime_sessions_live_idx" ON "realtime_sessions" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "realtime_threads_tenant_idx" ON "realtime_threads" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "thread_messages_thread_idx" ON "thread_messages" USING btree ("thread_id","id");--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_purpose_check" CHECK ("reservations"."purpose" in ('realtime_turn', 'lipsync', 'realtime_session'));--> statement-breakpoint
ALTER TABLE "usage_events" ADD CONSTRAINT "usage_events_kind_check" CHECK ("usage_events"."kind" in ('realtime_turn', 'lipsync', 'realtime_session'));