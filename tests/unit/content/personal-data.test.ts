import { describe, expect, it } from "vitest";
import { describePersonalData, findPersonalData, highlightPersonalData, type PersonalDataKind } from "~/content/personal-data";
import { luhnValid } from "~/content/pii/card";
import { mod97Valid } from "~/content/pii/iban";

// [text, kind, the exact matched text]
const POSITIVES: [string, PersonalDataKind, string][] = [
  ["Mail me at jane.doe@gmail.com please", "email", "jane.doe@gmail.com"],
  ["Reply to bob+lists@company.co.uk.", "email", "bob+lists@company.co.uk"],
  ["From: Alice <alice@posteo.de>", "email", "alice@posteo.de"],
  ["mailto:support@acme-widgets.io", "email", "support@acme-widgets.io"],
  ['```js\nconst owner = "real.person@proton.me";\n```', "email", "real.person@proton.me"],
  ["Call me on +1 (555) 123-4567", "phone", "+1 (555) 123-4567"],
  ["UK office: +44 20 7946 0958", "phone", "+44 20 7946 0958"],
  ["Berlin +49 30 1234567 ab 9 Uhr", "phone", "+49 30 1234567"],
  ["mon portable : +33 6 12 34 56 78", "phone", "+33 6 12 34 56 78"],
  ["from abroad 0044 20 7946 0958", "phone", "0044 20 7946 0958"],
  ["(555) 123-4567 after six", "phone", "(555) 123-4567"],
  ["ring 555-123-4567 or email", "phone", "555-123-4567"],
  ["555.123.4567", "phone", "555.123.4567"],
  ["toll free 1-800-555-0199", "phone", "1-800-555-0199"],
  ["London 020 7946 0958", "phone", "020 7946 0958"],
  ["Festnetz 030 1234567", "phone", "030 1234567"],
  ["portable 06 12 34 56 78", "phone", "06 12 34 56 78"],
  ["Tel. 089/123456", "phone", "089/123456"],
  ["Phone: 5551234567", "phone", "5551234567"],
  ["[call](tel:+15551234567)", "phone", "+15551234567"],
  ["my cell is 07700900123", "phone", "07700900123"],
  ["ask for ext 555-1234", "phone", "555-1234"],
  ["01.23.45.67.89", "phone", "01.23.45.67.89"],
  ["card 4111 1111 1111 1111 exp 12/27", "card", "4111 1111 1111 1111"],
  ["5500-0000-0000-0004", "card", "5500-0000-0000-0004"],
  ["amex 378282246310005", "card", "378282246310005"],
  ["Amex printed 3782 822463 10005", "card", "3782 822463 10005"],
  ["pay to DE89 3704 0044 0532 0130 00 please", "iban", "DE89 3704 0044 0532 0130 00"],
  ["IBAN: GB82 WEST 1234 5698 7654 32", "iban", "GB82 WEST 1234 5698 7654 32"],
  ["FR1420041010050500013M02606", "iban", "FR1420041010050500013M02606"],
  ["I live at 221B Baker Street, London", "address", "221B Baker Street"],
  ["1600 Pennsylvania Ave NW", "address", "1600 Pennsylvania Ave"],
  ["42 Wallaby Way, Sydney", "address", "42 Wallaby Way"],
  ["Hauptstraße 12, 10115 Berlin", "address", "Hauptstraße 12"],
  ["Bahnhofstr. 3a", "address", "Bahnhofstr. 3a"],
  ["Wir wohnen Berliner Straße 7", "address", "Berliner Straße 7"],
  ["12 rue de la Paix, 75002 Paris", "address", "12 rue de la Paix"],
  ["Via Roma 5, Milano", "address", "Via Roma 5"],
  ["Calle Mayor 10, Madrid", "address", "Calle Mayor 10"],
];

// Realistic developer text that must not trigger a warning.
const NEGATIVES: string[] = [
  "Send it to noreply@example.com",
  "ssh user@localhost",
  "admin@site.test and ops@foo.example and x@y.invalid and a@dev.localhost",
  "background: url(icon@2x.png)",
  "git clone git@github.com:owner/repo.git",
  "npm i @types/node@20.11.5 typescript@5.9.3",
  "Upgraded from 1.2.3 to 2.7.18 (semver 10.15.7-beta.1)",
  "Python 3.11.4, Node v20.11.1, Windows 10.0.19045.3693",
  "released 2024-03-15, EOL 15/03/2024, or 03/15/24",
  "2024-03-15 12:30:45.123 INFO started",
  "createdAt: 2024-03-15T10:30:00.000Z",
  "took 12:30:45 wall clock",
  "listening on 192.168.1.10 and 10.0.0.255:8080",
  "inet6 fe80::1ff:fe23:4567:890a prefixlen 64",
  "2001:db8:85a3::8a2e:370:7334",
  "open http://localhost:3000 and port 8080",
  "id 123e4567-e89b-12d3-a456-426614174000",
  "commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
  "fixed in 1234567abc and 3141592",
  "const user_12345678 = await find(id=12345678);",
  "const MAX_SAFE = 9007199254740991;",
  "if (n > 2147483647) throw new RangeError(n);",
  "    at Object.<anonymous> (/app/src/index.js:1234:56)",
  'File "/usr/lib/python3.11/site.py", line 1234567, in main',
  "color: #123456; border: 1px solid #ff00aa;",
  "fill: rgb(255, 255, 255);",
  "Content-Length: 1048576 bytes",
  "disk: 12 345 678 octets libres",
  "file size 1.2 MB, 3.5 GiB",
  "timestamp 1710501234 (1710501234567 ms)",
  "see https://shop.test/orders/5551234567 for the order",
  "https://crm.test/contacts?phone=555-123-4567&page=2",
  "ISBN 978-3-16-148410-0",
  "0 1 1 2 3 5 8 13 21 34 55 89",
  "CVE-2024-12345 and GHSA-abcd-1234",
  "chmod 0755 deploy.sh && umask 0022",
  "mov eax, 0x1234567",
  "HTTP/1.1 200 OK",
  "ZIP 90210-1234",
  "there are 3 different ways to do it",
  "We walked 5 miles down the road",
  "token AB12CDEFGHIJKLMNOPQRST",
  "see lines 12-34 and issue #12345678",
  "Step 2: Drive the car",
  "pip install requests==2.31.0",
  "sleep(86400000)",
  "SELECT * FROM users WHERE id IN (1234567, 7654321);",
  "Math.floor(Date.now() / 1000) - 1710501234",
  "[2024-03-15 10:30:45] ERROR pid=12345678 uid=1000",
  "docker run -p 5432:5432 -m 2048m postgres:16.2",
  "placeholder card 1234 5678 9012 3456",
  "years 2023 2024 2025 2026",
  "ID: 000-123-4567",
  "AWS account 123456789012, arn:aws:iam::123456789012:role/x",
  " 12 files changed, 1234 insertions(+), 567 deletions(-)",
  "java.lang.NullPointerException\n\tat com.foo.Bar.baz(Bar.java:123)",
  "Tested on Chrome 120.0.6099.109",
  "ffmpeg -ss 00:01:30 -t 00:00:10 out.mp4",
];

describe("findPersonalData: positives", () => {
  it("has a table of at least 25 positives", () => {
    expect(POSITIVES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(POSITIVES)("finds in %j a %s: %j", (text, kind, expected) => {
    const matches = findPersonalData(text);
    expect(matches.map((m) => ({ kind: m.kind, text: m.text }))).toEqual([{ kind, text: expected }]);
    expect(text.slice(matches[0]!.start, matches[0]!.end)).toBe(expected);
  });
});

describe("findPersonalData: negatives", () => {
  it("has a table of at least 40 negatives", () => {
    expect(NEGATIVES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(NEGATIVES)("finds nothing in %j", (text) => {
    expect(findPersonalData(text)).toEqual([]);
  });
});

describe("findPersonalData: checks", () => {
  it("accepts real test card numbers and rejects a Luhn-invalid one", () => {
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("5500000000000004")).toBe(true);
    expect(luhnValid("378282246310005")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(findPersonalData("card 4111 1111 1111 1112")).toEqual([]);
    expect(findPersonalData("card 4111111111111112")).toEqual([]);
  });

  it("rejects card-valid numbers without a plausible issuer prefix", () => {
    // 1111 1111 1111 1117 and 8111 1111 1111 1115 pass Luhn but no network issues them.
    expect(luhnValid("1111111111111117")).toBe(true);
    expect(findPersonalData("1111 1111 1111 1117 and 8111 1111 1111 1115")).toEqual([]);
  });

  it("rejects IBANs with a wrong check digit or length", () => {
    expect(mod97Valid("DE89370400440532013000")).toBe(true);
    expect(mod97Valid("DE88370400440532013000")).toBe(false);
    expect(findPersonalData("DE88 3704 0044 0532 0130 00")).toEqual([]);
    expect(findPersonalData("DE89 3704 0044 0532 0130 01")).toEqual([]);
    expect(findPersonalData("DE89 3704 0044 0532 0130")).toEqual([]);
  });

  it("checks text inside code blocks too", () => {
    const text = "```\ncurl -d 'to=jane@corp.io&card=4111111111111111'\n```";
    expect(findPersonalData(text).map((m) => m.kind)).toEqual(["email", "card"]);
  });

  it("returns matches sorted by start and never overlapping", () => {
    const text = "Call +44 20 7946 0958, write to a.b@corp.io, pay DE89 3704 0044 0532 0130 00, visit 10 Downing Street. Or 555-123-4567.";
    const matches = findPersonalData(text);
    expect(matches.map((m) => m.kind)).toEqual(["phone", "email", "iban", "address", "phone"]);
    for (let i = 1; i < matches.length; i++) expect(matches[i]!.start).toBeGreaterThanOrEqual(matches[i - 1]!.end);
  });

  it("prefers the more specific reading when two overlap", () => {
    // A card number is also a 16-digit number; an e-mail may contain a phone-like local part.
    expect(findPersonalData("4111-1111-1111-1111").map((m) => m.kind)).toEqual(["card"]);
    expect(findPersonalData("5551234567@txt.carrier.net").map((m) => m.kind)).toEqual(["email"]);
  });
});

describe("highlightPersonalData", () => {
  it("splits the text into plain and matched segments that join back to the text", () => {
    const text = "mail a@corp.io or call 555-123-4567 now";
    const matches = findPersonalData(text);
    const segments = highlightPersonalData(text, matches);
    expect(segments.map((s) => s.text).join("")).toBe(text);
    expect(segments.map((s) => [s.text, s.match?.kind])).toEqual([
      ["mail ", undefined],
      ["a@corp.io", "email"],
      [" or call ", undefined],
      ["555-123-4567", "phone"],
      [" now", undefined],
    ]);
  });

  it("skips stale matches that no longer fit the text", () => {
    const stale = findPersonalData("call 555-123-4567 please");
    expect(highlightPersonalData("call", stale)).toEqual([{ text: "call" }]);
    expect(highlightPersonalData("", [])).toEqual([]);
  });
});

describe("describePersonalData", () => {
  it("names each kind once, in a fixed order, counting repeats, as one phrase", () => {
    const matches = findPersonalData("555-123-4567, a@corp.io, 555-987-6543, 4111 1111 1111 1111, 10 Downing Street, DE89 3704 0044 0532 0130 00");
    expect(describePersonalData(matches)).toBe(
      "an email address, 2 phone numbers, a payment card number, a bank account number (IBAN) and a street address",
    );
    expect(describePersonalData(findPersonalData("a@corp.io"))).toBe("an email address");
    expect(describePersonalData(findPersonalData("a@corp.io 555-123-4567"))).toBe("an email address and a phone number");
    expect(describePersonalData([])).toBe("");
  });
});
