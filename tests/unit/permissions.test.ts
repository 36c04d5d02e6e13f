import { describe, expect, it } from "vitest";
import { canAdminister, canChangeRole, canModerate, isMember } from "~/utils/permissions";

const anon = null;
const member = { id: 1, role: "member" };
const moderator = { id: 2, role: "moderator" };
const admin = { id: 3, role: "admin" };
const unknownRole = { id: 4, role: "superuser" };

describe("permission predicates", () => {
  it.each([
    ["anonymous", anon, [false, false, false]],
    ["member", member, [true, false, false]],
    ["moderator", moderator, [true, true, false]],
    ["admin", admin, [true, true, true]],
    ["unknown role", unknownRole, [false, false, false]],
  ] as const)("%s", (_name, actor, [memberOk, modOk, adminOk]) => {
    expect(isMember(actor)).toBe(memberOk);
    expect(canModerate(actor)).toBe(modOk);
    expect(canAdminister(actor)).toBe(adminOk);
  });

  it("lets admins change other people's roles but not their own", () => {
    expect(canChangeRole(admin, member)).toBe(true);
    expect(canChangeRole(admin, admin)).toBe(false);
    expect(canChangeRole(moderator, member)).toBe(false);
  });
});
