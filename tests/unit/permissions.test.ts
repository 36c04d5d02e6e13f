import { describe, expect, it } from "vitest";
import {
  canAdminister, canChangeRole, canCreateTopic, canDeletePost, canEditPost,
  canModerate, canReply, canReportPost, isMember,
} from "~/utils/permissions";

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

describe("forum predicates", () => {
  const own = { authorId: 1, deleted: false, hidden: false };
  const open = { locked: false };
  const locked = { locked: true };

  it("members reply to open topics; only moderators to locked or hidden ones", () => {
    expect(canReply(anon, open)).toBe(false);
    expect(canReply(member, open)).toBe(true);
    expect(canReply(member, locked)).toBe(false);
    expect(canReply(moderator, locked)).toBe(true);
    expect(canReply(member, { locked: false, hidden: true })).toBe(false);
    expect(canReply(moderator, { locked: false, hidden: true })).toBe(true);
  });

  it("authors edit their own visible posts in open topics; moderators edit any", () => {
    expect(canEditPost(member, own, open)).toBe(true);
    expect(canEditPost(member, own, locked)).toBe(false);
    expect(canEditPost(member, { ...own, deleted: true }, open)).toBe(false);
    expect(canEditPost(member, { ...own, hidden: true }, open)).toBe(false);
    expect(canEditPost(member, { ...own, authorId: 99 }, open)).toBe(false);
    expect(canEditPost(moderator, { ...own, authorId: 99 }, locked)).toBe(true);
  });

  it("only authors delete, and nobody reports their own or a deleted post", () => {
    expect(canDeletePost(member, own)).toBe(true);
    expect(canDeletePost(moderator, own)).toBe(false);
    expect(canReportPost(member, own)).toBe(false);
    expect(canReportPost(moderator, own)).toBe(true);
    expect(canReportPost(moderator, { ...own, deleted: true })).toBe(false);
    expect(canReportPost(anon, own)).toBe(false);
  });

  it("members create topics; visitors do not", () => {
    // Board moderation (hide, pin, lock, move, …) is canModerateBoard, tested in tests/integration/board-moderators.test.ts.
    expect(canCreateTopic(member)).toBe(true);
    expect(canCreateTopic(anon)).toBe(false);
  });
});
