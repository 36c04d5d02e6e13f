import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { readMbox, type MboxEntry, type MboxReadOptions } from "../../importer/mbox-reader.ts";
import { fixturePath, readFixture } from "./support/fixtures.ts";

const IMAGEMAGICK = "mail-box-imagemagick-list/imagemagick-list-2000.mbox";
const IMAGEMAGICK_CRLF = "mail-box-imagemagick-list/imagemagick-list-2000.crlf.mbox";
const PONYMAIL_TESTS = "apache-ponymail-small/incubator-ponymail/pass/tests.mbox";

async function collect(input: Parameters<typeof readMbox>[0], options?: MboxReadOptions): Promise<MboxEntry[]> {
  const out: MboxEntry[] = [];
  for await (const entry of readMbox(input, options)) out.push(entry);
  return out;
}

function rawOf(entry: MboxEntry | undefined): string {
  if (!entry || entry.oversize) throw new Error("expected a complete message");
  return entry.raw.toString("latin1");
}

function chunked(bytes: Buffer, size: number): Readable {
  return Readable.from((function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  })());
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-mbox-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("readMbox on fixture archives", () => {
  it("splits the ImageMagick list into 45 messages, LF and CRLF alike", async () => {
    const lf = await collect(fixturePath(IMAGEMAGICK));
    const crlf = await collect(fixturePath(IMAGEMAGICK_CRLF));
    expect(lf).toHaveLength(45);
    expect(crlf).toHaveLength(45);
    // Same messages: compare the Message-ID lines, line endings aside.
    const ids = (entries: MboxEntry[]) => entries.map((e) => /^message-id:.*$/im.exec(rawOf(e))?.[0].trim() ?? null);
    expect(ids(crlf)).toEqual(ids(lf));
    expect(rawOf(crlf[0])).toContain("\r\n");
  });

  it("returns the bytes between separators minus the one blank line mbox adds", async () => {
    for (const [file, blank] of [[IMAGEMAGICK, "\n"], [IMAGEMAGICK_CRLF, "\r\n"]] as const) {
      const bytes = readFixture(file);
      const entries = await collect(fixturePath(file));
      entries.forEach((entry, i) => {
        const bodyStart = bytes.indexOf(0x0a, entry.offset) + 1;
        const next = entries[i + 1]?.offset ?? bytes.length;
        const between = bytes.subarray(bodyStart, next).toString("latin1");
        expect(between.endsWith(blank + blank)).toBe(true);
        expect(rawOf(entry)).toBe(between.slice(0, -blank.length));
      });
    }
  });

  it("gives byte offsets that point at each From_ line", async () => {
    for (const file of [IMAGEMAGICK, IMAGEMAGICK_CRLF, PONYMAIL_TESTS]) {
      const bytes = readFixture(file);
      const entries = await collect(fixturePath(file));
      expect(entries[0]?.offset).toBe(0);
      for (const e of entries) {
        const line = bytes.subarray(e.offset, bytes.indexOf(0x0a, e.offset)).toString("latin1").replace(/\r$/, "");
        expect(line.startsWith("From ")).toBe(true);
        expect(line).toBe(e.fromLine);
      }
      expect(new Set(entries.map((e) => e.offset)).size).toBe(entries.length);
    }
  });

  it("reads the 15 ponymail test posts and un-escapes From lines as mboxo by default", async () => {
    const entries = await collect(fixturePath(PONYMAIL_TESTS));
    expect(entries).toHaveLength(15);
    const variations = entries.map(rawOf).find((r) => r.includes("Subject: Test mail - variations on a theme of From"));
    const lines = (variations ?? "").split("\n");
    // The mbox holds ">From", ">From", ">>From": mboxo only removes the ">" of ">From ".
    expect(lines.filter((l) => /^>*From Here to Eternity$/.test(l)))
      .toEqual(["From Here to Eternity", "From Here to Eternity", ">>From Here to Eternity"]);
    expect(lines.filter((l) => /^>*From xyz-dev-return-123/.test(l))).toEqual([
      "From xyz-dev-return-123-apmail-xyz-dev-archive=xyz.apache.org@xyz.apache.org",
      "From xyz-dev-return-123-apmail-xyz-dev-archive=xyz.apache.org@xyz.apache.org Wed Jul 27 10:47:51 2005",
      ">>From xyz-dev-return-123-apmail-xyz-dev-archive=xyz.apache.org@xyz.apache.org Wed Jul 27 10:47:51 2005",
    ]);
    // Lower-case "from" lines are never escapes.
    expect(lines).toContain(">>from here to eternity");
  });

  it("un-escapes one '>' from every >*From line in mboxrd mode", async () => {
    const entries = await collect(fixturePath(PONYMAIL_TESTS), { format: "mboxrd" });
    expect(entries).toHaveLength(15);
    const raw = entries.map(rawOf).join("");
    const eternity = raw.split("\n").filter((l) => /^>*From Here to Eternity$/.test(l));
    expect(eternity).toEqual(["From Here to Eternity", "From Here to Eternity", ">From Here to Eternity"]);
  });

  it("handles an empty file, a lone bare From line, and bare separators", async () => {
    expect(await collect(fixturePath("apache-ponymail-small/incubator-ponymail/fail/empty.mbox"))).toEqual([]);
    expect(await collect(fixturePath("apache-ponymail-small/incubator-ponymail/fail/NoList.mbox"))).toEqual([]);
    for (const name of ["nodate.mbox", "minimal.mbox"]) {
      const entries = await collect(fixturePath(`apache-ponymail-small/incubator-ponymail/pass/${name}`));
      expect(entries).toHaveLength(1);
      expect(entries[0]?.fromLine).toBe("From ");
      expect(rawOf(entries[0]).startsWith("List-Id:")).toBe(true);
    }
  });

  it("gunzips by magic bytes, from a path or a stream, whatever the file is called", async () => {
    const plain = await collect(fixturePath(IMAGEMAGICK));
    const gz = gzipSync(readFixture(IMAGEMAGICK));
    const file = path.join(tmp, "archive.mbox"); // no .gz suffix on purpose
    fs.writeFileSync(file, gz);
    const fromPath = await collect(file);
    // The magic number split over two chunks must still be recognised.
    const fromStream = await collect(Readable.from([gz.subarray(0, 1), gz.subarray(1, 9), gz.subarray(9)]));
    expect(fromPath).toEqual(plain);
    expect(fromStream).toEqual(plain);
  });

  it("produces identical results whatever the chunk boundaries", async () => {
    for (const file of [PONYMAIL_TESTS, IMAGEMAGICK_CRLF]) {
      const bytes = readFixture(file);
      const reference = await collect(fixturePath(file));
      const sizes = file === PONYMAIL_TESTS ? [1, 2, 3, 5, 7, 64, 4096, 65536] : [7, 1000, 65536];
      for (const size of sizes) {
        expect(await collect(chunked(bytes, size)), `chunk size ${size}`).toEqual(reference);
      }
    }
  });
});

describe("readMbox limits", () => {
  it("reports over-cap messages without their body and keeps going", async () => {
    const reference = await collect(fixturePath(IMAGEMAGICK));
    const capped = await collect(fixturePath(IMAGEMAGICK), { maxMessageBytes: 3000 });
    expect(capped).toHaveLength(45);
    const oversize = capped.filter((e) => e.oversize);
    expect(oversize.length).toBeGreaterThan(5);
    capped.forEach((entry, i) => {
      const full = reference[i] as MboxEntry;
      expect(entry.offset).toBe(full.offset);
      if (entry.oversize) {
        expect(entry).not.toHaveProperty("raw");
        expect(full.oversize === false && full.raw.length).toBeGreaterThan(2990);
        expect(entry.size).toBeGreaterThan(3000);
      } else {
        expect(entry).toEqual(full);
      }
    });
  });

  it("streams a 26 MB message past the default 25 MB cap", async () => {
    const line = Buffer.from(`${"x".repeat(1023)}\n`);
    const lines = 26 * 1024;
    async function* source() {
      yield Buffer.from("From a@example.org  Mon Jan  3 10:00:00 2011\nSubject: huge\n\n");
      for (let i = 0; i < lines; i += 64) yield Buffer.concat(Array(64).fill(line));
      yield Buffer.from("\nFrom b@example.org  Mon Jan  3 11:00:00 2011\nSubject: small\n\nhi\n");
    }
    const entries = await collect(source());
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ oversize: true, fromLine: "From a@example.org  Mon Jan  3 10:00:00 2011" });
    expect(entries[0]?.oversize && entries[0].size).toBe("Subject: huge\n\n".length + lines * 1024 + 1);
    expect(rawOf(entries[1])).toBe("Subject: small\n\nhi\n");
  });
});

describe("readMbox separator rules", () => {
  const read = (text: string, options?: MboxReadOptions) => collect(chunked(Buffer.from(text, "latin1"), 3), options);

  it("splits git format-patch output that has no blank line before From_", async () => {
    const text = [
      "From 1234567890abcdef Mon Sep 17 00:00:00 2001",
      "Subject: [PATCH 1/2] one",
      "",
      "diff",
      "From fedcba0987654321 Mon Sep 17 00:00:00 2001",
      "Subject: [PATCH 2/2] two",
      "",
      "diff",
      "",
    ].join("\n");
    const entries = await read(text);
    expect(entries.map(rawOf)).toEqual(["Subject: [PATCH 1/2] one\n\ndiff\n", "Subject: [PATCH 2/2] two\n\ndiff\n"]);
  });

  it("does not split on body lines that merely start with 'From '", async () => {
    const text = [
      "From jane@example.org  Tue Mar  1 09:00:00 2011",
      "Subject: quoting",
      "",
      "From the beginning, mbox should have been mboxrd",
      "From not mangled but this line should have been escaped",
      "",
      "From 10:00 to 12:00 on Monday 2011 we are closed",
      "From: someone pasted a header",
      "",
    ].join("\n");
    const entries = await read(text);
    expect(entries).toHaveLength(1);
    expect(rawOf(entries[0])).toContain("From 10:00 to 12:00");
  });

  it("accepts Pipermail separators, with and without a date", async () => {
    const text = [
      "From jgb at example.com  Thu Apr 14 11:06:56 2016",
      "Subject: one",
      "",
      "body",
      "",
      "From andy at example.com",
      "Subject: two",
      "",
      "body",
    ].join("\n");
    const entries = await read(text);
    expect(entries.map((e) => e.fromLine)).toEqual(["From jgb at example.com  Thu Apr 14 11:06:56 2016", "From andy at example.com"]);
    expect(rawOf(entries[1])).toBe("Subject: two\n\nbody"); // no newline at end of input
  });

  it("keeps content that precedes the first From_ line as a message", async () => {
    const text = "Subject: stray\n\nno separator\n\nFrom x@y.org  Wed Jan  5 10:00:00 2005\nSubject: next\n\nb\n";
    const entries = await read(text);
    expect(entries.map((e) => [e.fromLine, e.offset]))
      .toEqual([["", 0], ["From x@y.org  Wed Jan  5 10:00:00 2005", text.indexOf("From x@")]]);
    expect(rawOf(entries[0])).toBe("Subject: stray\n\nno separator\n");
  });

  it("un-escapes >From on a final line without newline and on very long lines", async () => {
    const long = `>From ${"y".repeat(3000)}`;
    const entries = await read(`From a@b.c  Wed Jan  5 10:00:00 2005\nSubject: s\n\n${long}\n>From end`);
    expect(rawOf(entries[0])).toBe(`Subject: s\n\n${long.slice(1)}\nFrom end`);
  });

  it("never treats an over-long line as a separator", async () => {
    const longFrom = `From x@y.org  Wed Jan  5 10:00:00 2005 ${"z".repeat(2000)}`;
    const entries = await read(`From a@b.c  Wed Jan  5 10:00:00 2005\nSubject: s\n\n${longFrom}\n`);
    expect(entries).toHaveLength(1);
  });
});
