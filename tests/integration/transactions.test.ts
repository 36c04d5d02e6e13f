import { describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { createTestUser } from "../support/factories";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("transactions on the single SQLite connection", () => {
  it("keep other requests' writes out of a transaction that rolls back", async () => {
    const a = await createTestUser();
    const b = await createTestUser();
    const failing = db
      .$transaction(async (tx) => {
        await tx.user.update({ where: { id: a.id }, data: { role: "moderator" } });
        await pause(100);
        throw new Error("roll back");
      })
      .catch((error: Error) => error.message);
    await pause(20);
    // Issued while the transaction is open: must neither join it nor see its changes.
    const [seen] = await Promise.all([
      db.user.findUniqueOrThrow({ where: { id: a.id }, select: { role: true } }),
      db.user.update({ where: { id: b.id }, data: { role: "admin" } }),
    ]);
    expect(await failing).toBe("roll back");
    expect(seen.role).toBe("member");
    expect((await db.user.findUniqueOrThrow({ where: { id: a.id } })).role).toBe("member");
    expect((await db.user.findUniqueOrThrow({ where: { id: b.id } })).role).toBe("admin");
  });
});
