// Deterministic pseudo-random numbers and forum-like text for the forum
// benchmark's dataset: titles and post bodies drawn from a small word list
// with a Zipf-like frequency, as Markdown (`raw`) and matching HTML (`cooked`).

/** mulberry32: small, fast and good enough for test data; the same seed gives the same dataset. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | null = null;
  const normal = () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
  return {
    next,
    /** 0..n-1 */
    int: (n: number) => Math.floor(next() * n),
    normal,
    /** exp(mu + sigma·N(0,1)) */
    logNormal: (mu: number, sigma: number) => Math.exp(mu + sigma * normal()),
    /** Exponential with the given mean. */
    exponential: (mean: number) => -Math.log(1 - next()) * mean,
    chance: (p: number) => next() < p,
  };
}

export type Random = ReturnType<typeof createRandom>;

/**
 * A sampler for 0..count-1 where rank r has weight 1/(r+offset)^exponent,
 * through a 64 Ki-entry lookup table (one multiplication and one load per draw).
 */
export function zipfSampler(count: number, exponent: number, offset = 1) {
  const size = 1 << 16;
  const table = new Uint32Array(size);
  const weights = Array.from({ length: count }, (_, rank) => 1 / (rank + offset) ** exponent);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let rank = 0;
  let cumulative = weights[0]! / total;
  for (let slot = 0; slot < size; slot += 1) {
    const point = (slot + 0.5) / size;
    while (point > cumulative && rank < count - 1) {
      rank += 1;
      cumulative += weights[rank]! / total;
    }
    table[slot] = rank;
  }
  return (random: Random) => table[(random.next() * size) | 0]!;
}

// Roughly in order of frequency: the sampler makes the first words the most common.
const WORDS = (
  "the to a and of is it in you that for this i on with be not have but if can are do what was as or " +
  "my an so just at use from your there would like how when one by all will get which also then any " +
  "version python file error code work set up using need run time new same thing way data server " +
  "should problem something try package could need other does see make first into only here about think " +
  "module function install test build config value list string path issue change default question example " +
  "output line because still does know why each more some them than well want look help works " +
  "install release update option command script library class object method return call import local " +
  "database query table index user page request response header cache memory disk network thread process " +
  "window linux windows mac system kernel driver compile compiler flag warning message log debug trace " +
  "stack exception type variable argument parameter loop array map key field record row column schema " +
  "migration backup restore deploy container image volume port host domain certificate proxy socket " +
  "timeout retry limit queue worker job task event handler callback promise async await sync lock " +
  "branch commit merge patch diff review upstream fork tag repository documentation manual tutorial " +
  "guide answer thanks please maybe probably actually really usually sometimes already again instead " +
  "works fails broken fixed slow fast large small old recent latest stable beta nightly official " +
  "custom simple complex different similar specific general correct wrong missing empty invalid valid " +
  "read write open close start stop create delete remove add move copy rename check parse format " +
  "encode decode send receive connect load save share store fetch push pull sort filter search match " +
  "regex unicode utf8 encoding locale timezone date number integer float boolean null pointer reference " +
  "memory leak garbage collector benchmark profile performance latency throughput bottleneck"
).split(" ");

const CODE_WORDS = [
  "pip install", "npm ci", "git rebase -i", "make -j4", "cargo build", "SELECT count(*)", "ls -la", "chmod +x",
  "sys.path", "os.environ", "json.loads()", "await fetch()", "std::vector", "Vec<u8>", "--verbose", "$HOME/.config",
  "LD_LIBRARY_PATH", "venv/bin/activate", "apt-get install", "docker compose up", "__init__.py", "useEffect",
];

const pickWord = zipfSampler(WORDS.length, 1.0, 2.7);

function sentence(random: Random, words: number): string {
  let text = WORDS[pickWord(random)]!;
  text = text[0]!.toUpperCase() + text.slice(1);
  for (let i = 1; i < words; i += 1) text += ` ${WORDS[pickWord(random)]!}`;
  return text + (random.chance(0.15) ? "?" : ".");
}

/** A topic title of 3 to 10 words (at most 150 characters, as the app requires). */
export function topicTitle(random: Random): string {
  const words = 3 + random.int(8);
  let title = sentence(random, words).slice(0, -1);
  if (random.chance(0.35)) title += "?";
  return title.slice(0, 150);
}

export type PostText = { raw: string; cooked: string };

/**
 * A post body: 1 to 6 paragraphs of sentences, log-normal in length (median
 * about 45 words, a long tail up to 500), sometimes with inline code, a quote
 * or a list, as Markdown and as the HTML the renderer would make of it.
 */
export function postBody(random: Random): PostText {
  const totalWords = Math.min(500, Math.max(3, Math.round(random.logNormal(3.8, 0.8))));
  const raw: string[] = [];
  const cooked: string[] = [];
  if (random.chance(0.08)) {
    const quoted = sentence(random, 6 + random.int(10));
    raw.push(`> ${quoted}`);
    cooked.push(`<blockquote>\n<p>${quoted}</p>\n</blockquote>`);
  }
  let remaining = totalWords;
  while (remaining > 0) {
    if (remaining > 12 && random.chance(0.06)) {
      const items = 2 + random.int(3);
      const rawItems: string[] = [];
      const htmlItems: string[] = [];
      for (let i = 0; i < items; i += 1) {
        const item = sentence(random, 3 + random.int(5)).slice(0, -1);
        rawItems.push(`- ${item}`);
        htmlItems.push(`<li>${item}</li>`);
        remaining -= 5;
      }
      raw.push(rawItems.join("\n"));
      cooked.push(`<ul>\n${htmlItems.join("\n")}\n</ul>`);
      continue;
    }
    const paragraphWords = Math.min(remaining, 15 + random.int(50));
    let rawParagraph = "";
    let htmlParagraph = "";
    let written = 0;
    while (written < paragraphWords) {
      const words = Math.min(paragraphWords - written, 5 + random.int(14));
      const text = sentence(random, words);
      const space = written ? " " : "";
      rawParagraph += space + text;
      htmlParagraph += space + text;
      written += words;
      if (random.chance(0.05)) {
        const code = CODE_WORDS[random.int(CODE_WORDS.length)]!;
        rawParagraph += ` Try \`${code}\`.`;
        htmlParagraph += ` Try <code>${code.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")}</code>.`;
      }
    }
    raw.push(rawParagraph);
    cooked.push(`<p>${htmlParagraph}</p>`);
    remaining -= paragraphWords;
  }
  return { raw: raw.join("\n\n"), cooked: cooked.join("\n") };
}

const FIRST = ["alex", "sam", "kim", "lee", "jo", "max", "ana", "eli", "noa", "ravi", "mia", "tom", "ida", "ola", "yuki", "omar", "lena", "ivan", "zoe", "nils"];
const LAST = ["smith", "garcia", "chen", "novak", "silva", "kowalski", "muller", "rossi", "tanaka", "okafor", "dubois", "jansen", "larsen", "haddad", "petrov", "nguyen"];

/** A unique, plausible username for generated member n (1-based). */
export function memberName(n: number): string {
  return `${FIRST[n % FIRST.length]!}_${LAST[Math.floor(n / FIRST.length) % LAST.length]!}${n}`;
}
