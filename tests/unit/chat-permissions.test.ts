import { describe, expect, it } from "vitest";
import {
  canDeleteChatMessage, canEditChatMessage, canMuteInRoom, canPostInRoom, canPromoteChat, canRemoveChatMessage, canReportChatMessage,
  CHAT_EDIT_WINDOW_MS,
} from "~/utils/permissions";

const member = { id: 1, role: "member" };
const other = { id: 2, role: "member" };
const moderator = { id: 3, role: "moderator" };
const now = Date.parse("2026-11-30T12:00:00Z");
const message = (minutesAgo: number, extra: Partial<{ deleted: boolean; authorId: number }> = {}) => ({
  authorId: 1, deleted: false, createdAt: new Date(now - minutesAgo * 60_000).toISOString(), ...extra,
});
const open = { archived: false };

describe("chat permissions", () => {
  it("let members post in open rooms only, and nobody anonymous", () => {
    expect(canPostInRoom(member, open)).toBe(true);
    expect(canPostInRoom(member, { archived: true })).toBe(false);
    expect(canPostInRoom(moderator, { archived: true })).toBe(false);
    expect(canPostInRoom(null, open)).toBe(false);
  });

  it("let authors edit and delete within the window, not after, not others' messages, not in archived rooms", () => {
    expect(CHAT_EDIT_WINDOW_MS).toBe(15 * 60_000);
    expect(canEditChatMessage(member, message(14), open, now)).toBe(true);
    expect(canEditChatMessage(member, message(16), open, now)).toBe(false);
    expect(canEditChatMessage(other, message(1), open, now)).toBe(false);
    expect(canEditChatMessage(moderator, message(1), open, now)).toBe(false);
    expect(canEditChatMessage(member, message(1, { deleted: true }), open, now)).toBe(false);
    expect(canDeleteChatMessage(member, message(1), { archived: true }, now)).toBe(false);
    expect(canDeleteChatMessage(member, message(1), open, now)).toBe(true);
  });

  it("keep removal and mutes for moderators, reports for other members, promotion for participants", () => {
    expect([canRemoveChatMessage(member), canRemoveChatMessage(moderator)]).toEqual([false, true]);
    expect([canMuteInRoom(member), canMuteInRoom(moderator)]).toEqual([false, true]);
    expect(canReportChatMessage(other, message(1))).toBe(true);
    expect(canReportChatMessage(member, message(1))).toBe(false);
    expect(canReportChatMessage(null, message(1))).toBe(false);
    expect(canPromoteChat(member, [1, 2])).toBe(true);
    expect(canPromoteChat(other, [1])).toBe(false);
    expect(canPromoteChat(moderator, [1])).toBe(true);
  });
});
