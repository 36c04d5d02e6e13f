import { describe, expect, it } from "vitest";
import { maskAddress, maskBinaryString, maskEmails, maskRawMessage } from "~/archive/mask";

describe("maskEmails: the masking rule", () => {
  it.each([
    ["jane.doe@example.org", "j…@example.org"],
    ["Write to jane.doe@example.org today.", "Write to j…@example.org today."],
    ["<bob@example.com>", "<b…@example.com>"],
    ["jd@example.org", "…@example.org"],
    ["x@example.org", "…@example.org"],
    ["first.last+tag@mail.example.co.uk", "f…@mail.example.co.uk"],
    ["UPPER.Case@Example.ORG", "U…@Example.ORG"],
    ["mailto:info@example.org", "mailto:i…@example.org"],
    ["two: a1b@x.org, c2d@y.org", "two: a…@x.org, c…@y.org"],
    ["josé.garcía@correo.example.es", "j…@correo.example.es"],
    ["end of sentence bob@example.com.", "end of sentence b…@example.com."],
    ["no address here", "no address here"],
    ["user@localhost", "user@localhost"], // no dot in the domain: not an address we mask
    ["@handle and a@ and @b.c", "@handle and a@ and @b.c"],
    ["j…@example.org", "j…@example.org"], // already masked
  ])("%j → %j", (input, expected) => {
    expect(maskEmails(input)).toBe(expected);
  });

  it("is idempotent", () => {
    const once = maskEmails("ann.lee@example.org, bo@example.org");
    expect(maskEmails(once)).toBe(once);
    const bytes = maskBinaryString("ann.lee@example.org");
    expect(bytes).toBe("a...@example.org");
    expect(maskBinaryString(bytes)).toBe(bytes);
  });

  it("leaves the addresses in `keep` alone, case-insensitively", () => {
    expect(maskEmails("Post to Python-List@python.org, not jane@python.org", { keep: ["python-list@python.org"] })).toBe(
      "Post to Python-List@python.org, not j…@python.org",
    );
  });

  it("masks a single address the same way", () => {
    expect(maskAddress("guido@python.org")).toBe("g…@python.org");
  });

  it("stays linear on hostile input", () => {
    const started = Date.now();
    maskEmails(`${"a".repeat(200_000)}@`);
    maskEmails("a@b.".repeat(50_000));
    maskBinaryString(`${"x.".repeat(100_000)}@`);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("maskEmails and maskBinaryString: the same result as the patterns run over the whole text", () => {
  // The reference: a plain global replace, which tries every position. The
  // masking functions try only where an address can start (walking back from
  // each "@"); they must agree on every text, including long local parts,
  // neighbouring addresses, surrogate pairs and stray "@"s.
  const TEXT = /([\p{L}\p{N}._%+-]{1,64})@([\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63}){1,10})/gu;
  const BYTES = /([A-Za-z0-9._%+-]{1,64})@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,10})/g;
  const reference = (text: string, pattern: RegExp, ellipsis: string) =>
    text.replace(pattern, (_whole, local: string, domain: string) => `${Array.from(local).length >= 3 ? `${Array.from(local)[0]}${ellipsis}` : ellipsis}@${domain}`);
  const PIECES = ["a", "bo", "x.y", "é", "𝒳", "-", "_", "+", "%", ".", "@", "@", "@", " ", "\n", "<", ">", ",", "org", "example.", "é.ü", "𝒳𝒴.", "a".repeat(70), "b.".repeat(40), "∂"];
  let seed = 20261130;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };

  it("agrees with the reference on 5,000 generated texts", () => {
    for (let i = 0; i < 5000; i++) {
      let text = "";
      const parts = 1 + random(40);
      for (let j = 0; j < parts; j++) text += PIECES[random(PIECES.length)];
      expect(maskEmails(text), JSON.stringify(text)).toBe(reference(text, TEXT, "…"));
      const latin1 = Buffer.from(text, "utf8").toString("latin1");
      expect(maskBinaryString(latin1), JSON.stringify(latin1)).toBe(reference(latin1, BYTES, "..."));
    }
  });
});

describe("maskRawMessage", () => {
  const raw = [
    'From: "Jane Doe" <jane.doe@example.org>',
    "To: python-list@python.org",
    "Cc: =?utf-8?B?" + Buffer.from("Zoë <zoe.smith@example.org>").toString("base64") + "?=",
    "Subject: =?utf-8?Q?Caf=C3=A9_and_bob=40example.com?=",
    "Message-ID: <abc.123@mail.example.org>",
    "In-Reply-To: <parent.456@mail.example.org>",
    "References: <root.1@mail.example.org>",
    "\t<parent.456@mail.example.org>",
    "Received: from mx.example.org by mail for <jane.doe@example.org>; Mon, 1 Jan 2024 10:00:00 +0000",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="XYZ"',
    "",
    "Preamble from carol@example.net",
    "--XYZ",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    "Grüße from dave.jones@example.net",
    "--XYZ",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    "",
    Buffer.from("Encoded: erin.adams@example.net\n").toString("base64"),
    "--XYZ",
    "Content-Type: image/png",
    "Content-Transfer-Encoding: base64",
    "",
    Buffer.from("binary frank@example.net").toString("base64"),
    "--XYZ--",
    "",
  ].join("\r\n");
  const masked = maskRawMessage(Buffer.from(raw, "utf8"), { keep: ["python-list@python.org"] }).toString("utf8");

  it("masks addresses in the header section, including encoded words", () => {
    expect(masked).toContain('From: "Jane Doe" <j...@example.org>');
    expect(masked).toContain("To: python-list@python.org");
    expect(masked).toContain("for <j...@example.org>;");
    const cc = /Cc: =\?utf-8\?B\?([^?]+)\?=/.exec(masked)![1]!;
    expect(Buffer.from(cc, "base64").toString("utf8")).toBe("Zoë <z...@example.org>");
    expect(masked).toContain("Subject: =?utf-8?Q?Caf=C3=A9_and_b...=40example.com?=");
    expect(masked).not.toMatch(/jane\.doe@|zoe\.smith@|bob@/);
  });

  it("leaves Message-ID, In-Reply-To and References alone so threads survive", () => {
    expect(masked).toContain("Message-ID: <abc.123@mail.example.org>");
    expect(masked).toContain("In-Reply-To: <parent.456@mail.example.org>");
    expect(masked).toContain("References: <root.1@mail.example.org>\r\n\t<parent.456@mail.example.org>");
  });

  it("masks plain, 8bit and base64 text parts, not binary parts", () => {
    expect(masked).toContain("Preamble from c...@example.net");
    expect(masked).toContain("Grüße from d...@example.net");
    const parts = masked.split("--XYZ");
    const b64 = parts[2]!.split("\r\n\r\n")[1]!.replace(/\s+/g, "");
    expect(Buffer.from(b64, "base64").toString("utf8")).toBe("Encoded: e...@example.net\n");
    expect(masked).toContain(Buffer.from("binary frank@example.net").toString("base64"));
  });

  it("keeps every other byte, including CRLF line ends and 8-bit text", () => {
    const unmaskable = "From: nobody\r\nSubject: caf\xe9\r\n\r\nno addresses, latin-1 byte: \xe9\r\n";
    const buffer = Buffer.from(unmaskable, "latin1");
    expect(maskRawMessage(buffer).equals(buffer)).toBe(true);
    expect(masked.split("\r\n").length).toBe(raw.split("\r\n").length);
  });

  it("survives malformed MIME", () => {
    const broken = Buffer.from('Content-Type: multipart/mixed; boundary="B"\n\n--B\nno header end a.b.c@example.org', "utf8");
    expect(maskRawMessage(broken).toString()).toContain("a...@example.org");
  });
});
