ALTER TABLE "realtime_sessions" ADD COLUMN "heartbeat_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "realtime_sessions" ADD COLUMN "client_session_id" text;