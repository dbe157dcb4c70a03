ALTER TABLE "assets" ADD CONSTRAINT "assets_kind_check" CHECK ("assets"."kind" in ('image', 'video', 'audio'));--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_status_check" CHECK ("assets"."status" in ('pending_upload', 'uploaded', 'processing', 'ready', 'failed', 'deleted'));--> statement-breakpoint
ALTER TABLE "avatars" ADD CONSTRAINT "avatars_source_kind_check" CHECK ("avatars"."source_kind" in ('image', 'video'));--> statement-breakpoint
ALTER TABLE "avatars" ADD CONSTRAINT "avatars_status_check" CHECK ("avatars"."status" in ('draft', 'preprocessing', 'ready', 'failed', 'disabled', 'deleted'));--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_state_check" CHECK ("idempotency_keys"."state" in ('in_flight', 'done'));--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_kind_check" CHECK ("ledger_entries"."kind" in ('grant', 'reserve', 'settle', 'release', 'void', 'expire'));--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_status_check" CHECK ("reservations"."status" in ('pending', 'settled', 'voided', 'expired'));--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_purpose_check" CHECK ("reservations"."purpose" in ('realtime_turn', 'lipsync'));--> statement-breakpoint
ALTER TABLE "usage_events" ADD CONSTRAINT "usage_events_kind_check" CHECK ("usage_events"."kind" in ('realtime_turn', 'lipsync'));