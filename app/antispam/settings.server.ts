// The anti-spam thresholds moderators set at /mod/settings. Until someone
// saves them, the env defaults (HOLD_LINK_POSTS_BELOW, HOLD_POSTS_BELOW) apply.
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";

export type AntispamSettings = { holdLinksBelow: number; holdAllBelow: number };

export async function getAntispamSettings(): Promise<AntispamSettings & { savedAt: Date | null }> {
  const row = await db.antispamSettings.findUnique({ where: { id: 1 } });
  if (row) return { holdLinksBelow: row.holdLinksBelow, holdAllBelow: row.holdAllBelow, savedAt: row.updatedAt };
  const env = getEnv();
  return { holdLinksBelow: env.HOLD_LINK_POSTS_BELOW, holdAllBelow: env.HOLD_POSTS_BELOW, savedAt: null };
}

/** Saves the thresholds. Audit: settings.antispam with the old and new values. */
export async function saveAntispamSettings(moderator: { id: number }, next: AntispamSettings) {
  const previous = await getAntispamSettings();
  await db.$transaction(async (tx) => {
    await tx.antispamSettings.upsert({ where: { id: 1 }, create: { id: 1, ...next, updatedById: moderator.id }, update: { ...next, updatedById: moderator.id } });
    await recordAudit(
      {
        actorId: moderator.id,
        action: "settings.antispam",
        targetType: "settings",
        targetId: "antispam",
        details: { before: { holdLinksBelow: previous.holdLinksBelow, holdAllBelow: previous.holdAllBelow }, after: next },
      },
      tx,
    );
  });
}
