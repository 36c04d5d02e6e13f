import { createHash } from "node:crypto";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { normalizeSubject } from "../../importer/base-subject.ts";
import { parseMailDate } from "../../importer/mail-date.ts";
import { parseFromLineDate, parseMessage, type ParsedMessage, type ParseOptions } from "../../importer/parse-message.ts";
import { fixturePath, readFixture } from "./support/fixtures.ts";

const FALLBACK = new Date("2011-04-01T12:00:00Z");

function eml(lines: string[]): Buffer {
  return Buffer.from(lines.join("\r\n"), "utf8");
}

async function parsed(raw: Buffer, options: ParseOptions = {}): Promise<ParsedMessage> {
  const result = await parseMessage(raw, { fallbackDate: FALLBACK, ...options });
  if (!result.ok) throw new Error(`expected a parsed message, got: ${result.reason}`);
  return result.message;
}

async function reason(raw: Buffer, options: ParseOptions = {}): Promise<string> {
  const result = await parseMessage(raw, options);
  if (result.ok) throw new Error("expected a parse failure");
  return result.reason;
}

describe("charsets and encoded words", () => {
  // stalwart's own parse of each file is stored next to it; we must agree on
  // the subject and on every decoded text/plain body part.
  it.each(["003", "010", "017"])("matches stalwart's parse of thirdparty/%s.eml", async (name) => {
    const expected = JSON.parse(fs.readFileSync(fixturePath(`stalwart-mail-parser/thirdparty/${name}.json`), "utf8"));
    const message = await parsed(readFixture(`stalwart-mail-parser/thirdparty/${name}.eml`));
    const root = expected.parts[0];
    const subject = root.headers.find((h: { name: string }) => h.name === "subject")?.value?.Text ?? "";
    expect(message.subject).toBe(subject);
    const texts: string[] = expected.text_body
      .map((i: number) => expected.parts[i].body.Text)
      .filter((t: unknown): t is string => typeof t === "string");
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(message.text).toContain(text.trim());
  });

  it("decodes quoted-printable and base64 UTF-8 parts (stalwart thirdparty/002)", async () => {
    const message = await parsed(readFixture("stalwart-mail-parser/thirdparty/002.eml"));
    expect(message.text).toContain("päivää");
    expect(message.text).toContain("yötä vaan.");
  });

  it("decodes Japanese and Korean legacy charsets (ruby mail, webklex)", async () => {
    const iso2022 = await parsed(readFixture("ruby-mail-fixtures/multi_charset/japanese_iso_2022.eml"));
    expect(iso2022.subject).toBe("まみむめも");
    expect(iso2022.fromName).toBe("Mikel Lindsaar");
    expect(iso2022.text.trim()).toBe("すみません。");
    const sjis = await parsed(readFixture("ruby-mail-fixtures/multi_charset/japanese_shift_jis.eml"));
    expect(sjis.text).toContain("このメールはテスト用のメールです。");
    const korean = await parsed(readFixture("ruby-mail-fixtures/multi_charset/ks_c_5601-1987.eml"));
    expect(korean.text.trim()).toBe("스티해");
    const koreanHeaders = await parsed(readFixture("webklex-php-imap/ks_c_5601-1987_headers.eml"));
    expect(koreanHeaders.subject).toBe("RE: 회원님께 Ersi님이 메시지를 보냈습니다.");
    expect(koreanHeaders.normalizedSubject).toBe("회원님께 Ersi님이 메시지를 보냈습니다.");
    expect(koreanHeaders.fromName).toBe("김 현진");
  });

  it("decodes UTF-8 and X-GBK labelled bodies", async () => {
    const japanese = await parsed(readFixture("ruby-mail-fixtures/multi_charset/japanese.eml"));
    expect([japanese.subject, japanese.text.split("\n")[0]]).toEqual(["まみむめも", "かきくえこ"]);
    const gbk = await parsed(readFixture("webklex-php-imap/gbk_charset.eml"));
    expect([gbk.subject, gbk.text.trim()]).toEqual(["Nuu", "Hi"]);
  });

  it("decodes mixed encoded words and picks the first of several From addresses", async () => {
    const message = await parsed(readFixture("enmime-testdata/mail/qp-utf8-header.raw"));
    expect(message.subject).toBe("MIME UTF8 Test ¢ More Text");
    expect(message.fromName).toBe("James Hillyerd");
    expect(message.fromAddress).toBe("jamehi03@jamehi03lx.noa.com");
  });
});

describe("Message-ID, In-Reply-To and References", () => {
  it("strips brackets and keeps a well-formed Message-ID", async () => {
    const message = await parsed(readFixture("webklex-php-imap/thread_re_my_topic.eml"));
    expect(message.messageId).toBe("456@example.com");
    expect(message.messageIdSynthetic).toBe(false);
    expect(message.inReplyTo).toBe("123@example.com");
  });

  it("derives a stable synthetic id from the raw bytes when the Message-ID is missing or broken", async () => {
    const raw = readFixture("webklex-php-imap/missing_date.eml");
    const first = await parsed(raw);
    const again = await parsed(Buffer.from(raw));
    const other = await parsed(Buffer.concat([raw, Buffer.from("\n")]));
    const sha = createHash("sha256").update(raw).digest("hex");
    expect(first.messageId).toBe(`synthetic.${sha.slice(0, 32)}@threadline.invalid`);
    expect(first.messageIdSynthetic).toBe(true);
    expect(again.messageId).toBe(first.messageId);
    expect(other.messageId).not.toBe(first.messageId);
    const broken = await parsed(eml(["Message-ID: <two words@example.org>", "Subject: x", "", "body"]));
    expect(broken.messageIdSynthetic).toBe(true);
  });

  it("gives an id-less message the same synthetic id with LF and CRLF line endings, and the CRLF one as its alias", async () => {
    const lf = readFixture("webklex-php-imap/missing_date.eml");
    expect(lf.includes("\r\n")).toBe(false);
    const crlf = Buffer.from(lf.toString("latin1").replace(/\n/g, "\r\n"), "latin1");
    const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
    const id = (bytes: Buffer) => `synthetic.${sha(bytes).slice(0, 32)}@threadline.invalid`;

    const fromMbox = await parsed(lf);
    const fromImap = await parsed(crlf);
    // The id of an LF message is what earlier imports stored; the CRLF bytes get the same one.
    expect(fromMbox.messageId).toBe(id(lf));
    expect(fromImap.messageId).toBe(id(lf));
    expect([fromMbox.messageIdAliases, fromImap.messageIdAliases]).toEqual([[id(crlf)], [id(crlf)]]);
    expect([fromMbox.sha256, fromMbox.sha256Aliases]).toEqual([sha(lf), [sha(crlf)]]);
    expect([fromImap.sha256, fromImap.sha256Aliases]).toEqual([sha(crlf), [sha(lf)]]);

    // Mixed line endings: the bytes as they came are an alias too (an older archive hashed those).
    const mixed = Buffer.concat([crlf.subarray(0, crlf.indexOf("\r\n\r\n") + 4), Buffer.from("a body line\n")]);
    const fromMixed = await parsed(mixed);
    const mixedLf = Buffer.from(mixed.toString("latin1").replace(/\r\n/g, "\n"), "latin1");
    const mixedCrlf = Buffer.from(mixedLf.toString("latin1").replace(/\n/g, "\r\n"), "latin1");
    expect(fromMixed.messageId).toBe(id(mixedLf));
    expect(fromMixed.messageIdAliases).toEqual([id(mixed), id(mixedCrlf)]);
    expect(fromMixed.sha256Aliases).toEqual([sha(mixedLf), sha(mixedCrlf)]);

    // A message with its own Message-ID has no aliases, in either form.
    const own = await parsed(eml(["Message-ID: <own@example.org>", "Subject: x", "", "body", ""]));
    expect([own.messageId, own.messageIdAliases, own.sha256Aliases]).toEqual(["own@example.org", [], []]);
  });

  it("orders, de-duplicates and filters References", async () => {
    const message = await parsed(eml([
      "Message-ID: <self@example.org>",
      "In-Reply-To: <b@example.org>",
      "References: <a@example.org> (a comment <c@example.org>) <b@example.org>",
      "  <a@example.org> <self@example.org> <bad token@x> <> <d@example.org> (garbage)",
      "Subject: refs",
      "",
      "body",
    ]));
    expect(message.references).toEqual(["a@example.org", "b@example.org", "d@example.org"]);
    expect(message.inReplyTo).toBe("b@example.org");
    expect(message.inReplyToTrusted).toBe(true);
  });

  it("distrusts an In-Reply-To with text around the id", async () => {
    const prose = await parsed(eml([
      "Message-ID: <r@example.org>",
      "In-Reply-To: Your message of December 31 1999 <bar@baz.com>",
      "Subject: x",
      "",
      "b",
    ]));
    expect(prose.inReplyTo).toBe("bar@baz.com");
    expect(prose.inReplyToTrusted).toBe(false);
    const junk = await parsed(eml(["In-Reply-To: mumble", "Subject: x", "", "b"]));
    expect(junk.inReplyTo).toBeNull();
  });
});

describe("dates", () => {
  it("parses RFC 5322 dates with zones and comments", () => {
    expect(parseMailDate("Wed, 14 Jun 2000 12:03:33 -0400 (EDT)")?.toISOString()).toBe("2000-06-14T16:03:33.000Z");
    expect(parseMailDate("Sun, 8 Aug 1999 10:04:17 +0200 (MET DST)")?.toISOString()).toBe("1999-08-08T08:04:17.000Z");
    expect(parseMailDate("Wed, 9 Jan 2002 19:47:50 MST")?.toISOString()).toBe("2002-01-10T02:47:50.000Z");
    expect(parseMailDate("14 Oct 10 23:25:06 -0400")?.toISOString()).toBe("2010-10-15T03:25:06.000Z");
    expect(parseMailDate("Whenever")).toBeNull();
    expect(parseMailDate("1")).toBeNull();
    expect(parseMailDate("Wed, 15 Dec 2010    59:10 -0500")).toBeNull();
  });

  it("parses From_ line dates, and none from bare separators", () => {
    expect(parseFromLineDate("From magick-owner@unca-don.wizards.dupont.com Wed Feb  9 22:02 MET 2000")?.toISOString())
      .toBe("2000-02-09T21:02:00.000Z");
    expect(parseFromLineDate("From user@domain  Fri Feb 22 23:00:00 2008 +0200")?.toISOString())
      .toBe("2008-02-22T21:00:00.000Z");
    expect(parseFromLineDate("From jgb at example.com  Thu Apr 14 11:06:56 2016")?.toISOString())
      .toBe("2016-04-14T11:06:56.000Z");
    expect(parseFromLineDate("From ")).toBeNull();
  });

  it("falls back when the Date header is missing, unparsable, too old or in the future", async () => {
    const now = new Date("2024-05-01T00:00:00Z");
    const withDate = (date: string) => eml([`Date: ${date}`, "Subject: d", "", "b"]);
    const missing = await parsed(readFixture("webklex-php-imap/missing_date.eml"));
    expect([missing.date, missing.dateFallback]).toEqual([FALLBACK, true]);
    const broken = await parsed(readFixture("ruby-mail-fixtures/error_emails/bad_date_header2.eml"));
    expect(broken.dateFallback).toBe(true);
    expect((await parsed(withDate("Thu, 01 Jan 1970 00:00:00 +0000"), { now })).dateFallback).toBe(true);
    expect((await parsed(withDate("Fri, 03 May 2024 01:00:00 +0000"), { now })).dateFallback).toBe(true);
    const soon = await parsed(withDate("Thu, 02 May 2024 12:00:00 +0000"), { now });
    expect([soon.date.toISOString(), soon.dateFallback]).toEqual(["2024-05-02T12:00:00.000Z", false]);
  });
});

describe("subjects", () => {
  it.each([
    ["Re: [foo-dev] RE: Fwd: Fw: AW: SV: Re[2]: Build broken (fwd)", "Build broken"],
    ["[foo-dev] Re: [foo-dev] Build   broken", "Build broken"],
    ["[foo] Fwd: [bar] Re: fw: b (fWd)  (fwd)", "b"],
    ["re: [fwd: [fwd: re: [fwd: babylon]]]", "babylon"],
    ["Re: [FWD: c]", "c"],
    ["[xyz]", "[xyz]"],
    ["Ad: Re: Ad: Re: Ad: x", "Ad: Re: Ad: Re: Ad: x"],
    ["Red alert: reply later", "Red alert: reply later"],
    ["", ""],
  ])("normalizes %j to %j", (subject, expected) => {
    expect(normalizeSubject(subject)).toBe(expected);
  });
});

describe("bodies", () => {
  it("converts HTML-only messages to text and keeps the HTML", async () => {
    const single = await parsed(readFixture("webklex-php-imap/html_only.eml"));
    expect(single.text.trim()).toBe("Hi");
    expect(single.html).toBe("<html><body>Hi</body></html>");
    // HTML inside multipart/related (mailparser leaves its text empty there).
    const related = await parsed(readFixture("enmime-testdata/mail/html-only-inline.raw"));
    expect(related.text).toContain("Test of HTML section");
    expect(related.html).toContain("<html>");
    const nonMime = await parsed(readFixture("enmime-testdata/mail/non-mime-html.raw"));
    expect(nonMime.text).toContain("This is a test mailing");
    expect(nonMime.text).not.toContain("<");
    const unknownCharset = await parsed(readFixture("enmime-testdata/low-quality/unk-charset-html-only.raw"));
    expect(unknownCharset.text).toContain("Hello World!");
  });

  it("prefers text/plain and keeps cid: links for inline images", async () => {
    const message = await parsed(readFixture("stalwart-mail-parser/thirdparty/017.eml"));
    expect(message.text.trim()).toBe("Search for hähä");
    const image = message.attachments[0];
    expect(image).toMatchObject({ contentType: "image/png", inline: true, contentId: "part1.8C5E6A81.D0C1B91A@example.com" });
    expect(message.html).toContain(`cid:${image?.contentId}`);
  });
});

describe("attachments", () => {
  function withAttachments(parts: Array<{ disposition: string; body?: string }>): Buffer {
    const lines = ["Message-ID: <att@example.org>", "Subject: files", "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b"', "", "--b", "Content-Type: text/plain", "", "see attached"];
    for (const part of parts) {
      lines.push("--b", "Content-Type: application/octet-stream", "Content-Transfer-Encoding: base64",
        `Content-Disposition: ${part.disposition}`, "", Buffer.from(part.body ?? "data").toString("base64"));
    }
    lines.push("--b--", "");
    return eml(lines);
  }

  it("reduces hostile filenames to one harmless path segment", async () => {
    const message = await parsed(withAttachments([
      { disposition: 'attachment; filename="../../etc/passwd"' },
      { disposition: 'attachment; filename="..\\\\..\\\\boot.ini"' },
      { disposition: "attachment; filename*=utf-8''..%2F..%2Fsecret%01%07.txt" },
      { disposition: "attachment; filename*=utf-8''invoice%E2%80%AEfdp.exe" },
      { disposition: 'attachment; filename=".."' },
      { disposition: "attachment" },
      { disposition: `attachment; filename="${"a".repeat(300)}.pdf"` },
    ]));
    const names = message.attachments.map((a) => a.filename);
    expect(names.slice(0, 6)).toEqual(["passwd", "boot.ini", "secret.txt", "invoicefdp.exe", "attachment", "attachment"]);
    expect(names[6]).toBe(`${"a".repeat(196)}.pdf`);
    for (const name of names) expect(name).not.toMatch(/[/\\\u0000-\u001f]/);
  });

  it("hashes content and keeps only metadata of attachments over the limit", async () => {
    const big = "x".repeat(2000);
    const message = await parsed(withAttachments([
      { disposition: 'attachment; filename="small.bin"', body: "tiny" },
      { disposition: 'attachment; filename="big.bin"', body: big },
    ]), { maxAttachmentBytes: 1000 });
    const [small, large] = message.attachments;
    expect(small).toMatchObject({ filename: "small.bin", size: 4, inline: false, contentId: null });
    expect(small?.content?.toString()).toBe("tiny");
    expect(small?.sha256).toBe(createHash("sha256").update("tiny").digest("hex"));
    expect(large).toMatchObject({ filename: "big.bin", size: 2000, content: null, skipped: "too large" });
    expect(large?.sha256).toBe(createHash("sha256").update(big).digest("hex"));
  });

  it("decodes an RFC 2047 filename (webklex)", async () => {
    const message = await parsed(readFixture("webklex-php-imap/attachment_encoded_filename.eml"));
    expect(message.attachments.map((a) => a.filename)).toEqual(["Prostřeno_2014_poslední volné termíny.xls"]);
  });
});

describe("archive headers and senders", () => {
  it("reads X-No-Archive, Archive, List-Id and Archived-At, and keeps only allow-listed headers", async () => {
    const message = await parsed(eml([
      "Message-ID: <h@example.org>",
      "From: Jane Doe <Jane.Doe@EXAMPLE.Org>",
      "X-No-Archive: Yes",
      "List-Id: Foo developers <foo-dev.lists.example.org>",
      "Archived-At: <https://lists.example.org/foo-dev/123>",
      "Received: from mx.example.org (192.0.2.1) by relay; Mon, 1 Jan 2024 00:00:00 +0000",
      "Subject: h",
      "",
      "b",
    ]));
    expect(message).toMatchObject({
      noArchive: true,
      listId: "foo-dev.lists.example.org",
      archivedAt: "https://lists.example.org/foo-dev/123",
      fromName: "Jane Doe",
      fromAddress: "Jane.Doe@example.org",
    });
    expect(message.headers["list-id"]).toEqual(["Foo developers <foo-dev.lists.example.org>"]);
    expect(message.headers).not.toHaveProperty("received");
    const archiveNo = await parsed(eml(["Archive: no", "Subject: a", "", "b"]));
    expect(archiveNo.noArchive).toBe(true);
    expect((await parsed(eml(["Subject: a", "", "b"]))).noArchive).toBe(false);
  });

  it("reads Pipermail-obfuscated senders", async () => {
    const message = await parsed(eml(["From: andy at example.com (Andy Example)", "Subject: p", "", "b"]));
    expect([message.fromName, message.fromAddress]).toEqual(["Andy Example", "andy@example.com"]);
  });
});

describe("malformed input never throws", () => {
  const malformed = [
    ...fs.readdirSync(fixturePath("enmime-testdata/low-quality")).map((f) => `enmime-testdata/low-quality/${f}`),
    ...fs.readdirSync(fixturePath("ruby-mail-fixtures/error_emails")).map((f) => `ruby-mail-fixtures/error_emails/${f}`),
  ];

  it.each(malformed)("%s parses or gives a reason", async (file) => {
    const result = await parseMessage(readFixture(file), { fallbackDate: FALLBACK });
    if (result.ok) {
      expect(result.message.messageId).not.toBe("");
      expect(Number.isNaN(result.message.date.getTime())).toBe(false);
    } else {
      expect(result.reason).toMatch(/^[a-zA-Z].{5,150}$/);
    }
  });

  it("explains why a message was refused", async () => {
    expect(await reason(Buffer.alloc(0))).toBe("message is empty");
    expect(await reason(Buffer.from(" \r\n\r\n"))).toBe("message is empty");
    expect(await reason(Buffer.from("This is a simple message not having headers.\nJust text.\n")))
      .toBe("headers could not be parsed");
    expect(await reason(Buffer.from(`X-Filler: ${"a".repeat(300 * 1024)}\n\nbody`)))
      .toBe("headers are larger than 256 KB");
    const parts = ['Content-Type: multipart/mixed; boundary="p"', ""];
    for (let i = 0; i < 600; i++) parts.push("--p", "Content-Type: text/plain", "", `part ${i}`);
    parts.push("--p--");
    expect(await reason(eml(parts))).toBe("too many MIME parts (over 500)");
    expect(await reason("not a buffer" as unknown as Buffer)).toBe("message is not a byte buffer");
  });

  it("accepts a message whose header block is empty", async () => {
    const message = await parsed(Buffer.from("\n9\n"));
    expect([message.subject, message.text.trim(), message.messageIdSynthetic]).toEqual(["", "9", true]);
  });
});
