CREATE TABLE "avatar_manifests" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"avatar_id" text NOT NULL,
	"version" integer NOT NULL,
	"source_sha256" text NOT NULL,
	"model_id" text NOT NULL,
	"rig" jsonb NOT NULL,
	"timings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "avatar_manifests" ADD CONSTRAINT "avatar_manifests_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "avatar_manifests" ADD CONSTRAINT "avatar_manifests_avatar_id_avatars_id_fk" FOREIGN KEY ("avatar_id") REFERENCES "public"."avatars"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "avatar_manifests_version_idx" ON "avatar_manifests" USING btree ("avatar_id","version");--> statement-breakpoint
CREATE INDEX "avatar_manifests_tenant_idx" ON "avatar_manifests" USING btree ("tenant_id");