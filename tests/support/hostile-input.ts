// Inputs built to trigger catastrophic backtracking or quadratic work in the
// Markdown renderer and the personal-data scanner. The unit tests check that
// each one renders to safe output; the "hostile-input" benchmark times them.

const N = 50_000;

export const HOSTILE_MARKDOWN: Record<string, string> = {
  "50,000 *": "*".repeat(N),
  "50,000 [": "[".repeat(N),
  "50,000 ]": "]".repeat(N),
  "50,000 _": "_".repeat(N),
  "50,000 backticks": "`".repeat(N),
  "backtick runs of growing length": Array.from({ length: 300 }, (_, i) => `${"`".repeat(i + 1)}x`).join(" "),
  "10,000 nested >": `${">".repeat(10_000)} deep`,
  "10,000 nested > with spaces": `${"> ".repeat(10_000)}deep`,
  "a staircase of quotes": Array.from({ length: 400 }, (_, i) => `${">".repeat(i)} x`).join("\n"),
  "unclosed emphasis": "*a **b ".repeat(N / 7),
  "unclosed links": "[a](".repeat(N / 4),
  "unclosed images": "![".repeat(N / 2),
  "nested brackets": `${"[".repeat(5000)}x${"](/u)".repeat(5000)}`,
  "50,000 <": "<".repeat(N),
  "unclosed autolinks": "<http://".repeat(N / 8),
  "entity-like runs": "&#x".repeat(N / 3),
  "nested lists": `${"- ".repeat(N / 2)}x`,
  "a long table": `| a | b |\n|---|---|\n${"| x |\n".repeat(10_000)}`,
  "pipes": `${"a|".repeat(N / 2)}\n${"-|".repeat(N / 2)}`,
  "many mentions": "@abcd ".repeat(N / 6),
  "many e-mail addresses": "a@b.co ".repeat(N / 7),
  "highlighted fence of backticks": `\`\`\`js\n${"`".repeat(N)}\n\`\`\``,
  "highlighted fence of open tags": `\`\`\`html\n${"<a ".repeat(N / 3)}\n\`\`\``,
  "many reference definitions": `${"[a]: /u\n".repeat(N / 8)}${"[a]".repeat(100)}`,
};

export const HOSTILE_TEXT: Record<string, string> = {
  "100,000 digits": "1".repeat(100_000),
  "digits and spaces": "1 ".repeat(N),
  "digits and dashes": "12-".repeat(33_000),
  "closing parentheses": `1${")".repeat(99_999)}`,
  "100,000 @": "@".repeat(100_000),
  "letters then @": `${"a".repeat(99_999)}@`,
  "@ then letters": `@${"a.".repeat(49_999)}`,
  "capitalised words": "Abc ".repeat(25_000),
  "house numbers and names": "12 Main ".repeat(12_000),
  "IBAN-like prefixes": "DE89 ".repeat(20_000),
  "many e-mail addresses": "a@b.co ".repeat(14_000),
  "many phone numbers": "555-123-4567 ".repeat(7_000),
  "many URLs": "https://x.test/1234567 ".repeat(4_000),
};
