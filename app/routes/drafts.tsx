import type { ActionFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { z } from "zod";
import { BODY_MAX, TITLE_MAX } from "~/forums/limits";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";

const DraftSchema = z.object({
  key: z.string().regex(/^(board|topic):\d{1,10}$/),
  title: z.string().max(TITLE_MAX).default(""),
  body: z.string().max(BODY_MAX),
});

/** Saves (or, when emptied, removes) a composer draft on the server. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const parsed = DraftSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: "That draft could not be saved." }, { status: 400 });
  const { key, title, body } = parsed.data;
  if (!title.trim() && !body.trim()) {
    await db.draft.deleteMany({ where: { userId: user.id, key } });
  } else {
    await db.draft.upsert({
      where: { userId_key: { userId: user.id, key } },
      create: { userId: user.id, key, title, raw: body },
      update: { title, raw: body },
    });
  }
  return { savedAt: new Date().toISOString() };
}
