CREATE TABLE "video_caches" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"avatar_id" text NOT NULL,
	"manifest_id" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"settings_key" text NOT NULL,
	"plan" jsonb NOT NULL,
	"loop_asset_id" text,
	"failure_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "video_caches_status_check" CHECK ("video_caches"."status" in ('queued', 'ready', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "avatar_manifests" ADD COLUMN "video_analysis" jsonb;--> statement-breakpoint
ALTER TABLE "video_caches" ADD CONSTRAINT "video_caches_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_caches" ADD CONSTRAINT "video_caches_avatar_id_avatars_id_fk" FOREIGN KEY ("avatar_id") REFERENCES "public"."avatars"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_caches" ADD CONSTRAINT "video_caches_manifest_id_avatar_manifests_id_fk" FOREIGN KEY ("manifest_id") REFERENCES "public"."avatar_manifests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_caches" ADD CONSTRAINT "video_caches_loop_asset_id_assets_id_fk" FOREIGN KEY ("loop_asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "video_caches_settings_idx" ON "video_caches" USING btree ("manifest_id","settings_key");--> statement-breakpoint
CREATE INDEX "video_caches_tenant_idx" ON "video_caches" USING btree ("tenant_id","avatar_id");