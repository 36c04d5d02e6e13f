import { describe, expect, it } from "vitest";
import { excerptOf, foldMessageText } from "~/archive/quote-fold";

const FOOTER = "_______________________________________________\nPython-list mailing list\nPython-list@python.org\nhttps://mail.python.org/mailman/listinfo/python-list";

describe("foldMessageText", () => {
  it("keeps new text, folds quotes, the signature and the list footer", () => {
    const blocks = foldMessageText(
      `On Monday Jane wrote:\n> first quoted\n> second quoted\n\n> after a blank line\n\nMy answer.\n\n-- \nBob\nhttps://bob.example\n${FOOTER}\n`,
    );
    expect(blocks.map((b) => b.kind)).toEqual(["text", "quote", "text", "signature", "footer"]);
    expect(blocks[1]).toMatchObject({ kind: "quote", lines: 4, text: "> first quoted\n> second quoted\n\n> after a blank line" });
    expect(blocks[2]).toEqual({ kind: "text", text: "My answer." });
    expect(blocks[3]).toMatchObject({ kind: "signature", text: "-- \nBob\nhttps://bob.example" });
    expect(blocks[4]).toMatchObject({ kind: "footer", lines: 4 });
  });

  it("handles CRLF, interleaved quotes and nested quote levels", () => {
    const blocks = foldMessageText("> > old\r\n> newer\r\nreply one\r\n> more\r\nreply two\r\n");
    expect(blocks.map((b) => [b.kind, b.text])).toEqual([
      ["quote", "> > old\n> newer"],
      ["text", "reply one"],
      ["quote", "> more"],
      ["text", "reply two"],
    ]);
  });

  it("folds an Outlook-style original message as a quote", () => {
    const blocks = foldMessageText("Yes.\n\n-----Original Message-----\nFrom: Jane\nSent: Monday\n\nQuestion?");
    expect(blocks.map((b) => b.kind)).toEqual(["text", "quote"]);
  });

  it("takes a bare '--' as a signature only near the end, and a long tail after underscores is not a footer", () => {
    const early = `Intro\n--\n${"line\n".repeat(30)}`;
    expect(foldMessageText(early).map((b) => b.kind)).toEqual(["text"]);
    const notFooter = `Table\n${"_".repeat(47)}\n${"row\n".repeat(40)}`;
    expect(foldMessageText(notFooter).map((b) => b.kind)).toEqual(["text"]);
    expect(foldMessageText("Thanks\n--\nBob").map((b) => b.kind)).toEqual(["text", "signature"]);
  });

  it("keeps a quoted footer inside the quote, and handles an empty body", () => {
    expect(foldMessageText(`Reply\n> text\n> ${"_".repeat(47)}\n> Python-list mailing list`).map((b) => b.kind)).toEqual(["text", "quote"]);
    expect(foldMessageText("")).toEqual([]);
    expect(foldMessageText("\n\n  \n")).toEqual([]);
  });

  it("is fast on hostile bodies", () => {
    const started = Date.now();
    foldMessageText("> x\n\n".repeat(50_000));
    foldMessageText("\n".repeat(100_000));
    foldMessageText(`${"-- \n".repeat(20_000)}`);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("excerptOf", () => {
  it("uses the message's own words, not the quotes or footer", () => {
    expect(excerptOf(`> quoted\nNew words here.\n${FOOTER}`)).toBe("New words here.");
    expect(excerptOf("a ".repeat(400), 20)).toHaveLength(20);
  });
});
