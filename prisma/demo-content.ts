// The demo accounts and forum content that `npm start` seeds into an empty
// database. The passwords are documented in the README; never use them on a
// real deployment (set SEED_DEMO=false there).
export const DEMO_ACCOUNTS = [
  { username: "ada", email: "ada@example.org", password: "threadline-admin-demo", role: "admin" as const },
  { username: "grace", email: "grace@example.org", password: "threadline-moderator-demo", role: "moderator" as const },
  { username: "linus", email: "linus@example.org", password: "threadline-member-demo", role: "member" as const },
];

type DemoTopic = { title: string; pinned?: boolean; posts: { author: string; body: string }[] };
type DemoBoard = { slug: string; name: string; description: string; topics: DemoTopic[] };

export const DEMO_FORUMS: { slug: string; name: string; description: string; boards: DemoBoard[] }[] = [
  {
    slug: "python",
    name: "Python",
    description: "The Python language, its standard library and its ecosystem.",
    boards: [
      {
        slug: "python-help",
        name: "Python help",
        description: "Questions about writing Python, from first scripts to packaging.",
        topics: [
          {
            title: "Welcome to the Python help board",
            pinned: true,
            posts: [
              {
                author: "grace",
                body: "Ask anything about Python here. Include the Python version, what you ran, what you expected and what happened instead.\n\nPlease remember that this board is public: do not paste passwords, tokens or personal details.",
              },
            ],
          },
          {
            title: "How do I read a large CSV file without running out of memory?",
            posts: [
              { author: "linus", body: "I have a 6 GB CSV export and pandas.read_csv eats all my RAM. What are my options?" },
              { author: "grace", body: "Read it in chunks: pandas.read_csv(path, chunksize=100_000) gives you an iterator of DataFrames.\n\nIf you only need a few columns, pass usecols as well; it makes a big difference." },
              { author: "ada", body: "The csv module in the standard library streams row by row too, if you do not need pandas at all." },
            ],
          },
          {
            title: "Virtual environments: venv or something else?",
            posts: [
              { author: "linus", body: "Is the built-in venv module still the recommended way to isolate project dependencies?" },
              { author: "ada", body: "For most projects, yes: python -m venv .venv and then pip install inside it." },
            ],
          },
        ],
      },
      {
        slug: "python-announce",
        name: "Announcements",
        description: "Releases of Python libraries and tools by their authors.",
        topics: [
          {
            title: "Release: a small library for parsing mbox files",
            posts: [{ author: "ada", body: "Version 1.0 streams messages from mbox and mboxrd files of any size. Feedback welcome." }],
          },
        ],
      },
    ],
  },
  {
    slug: "perl",
    name: "Perl",
    description: "Perl 5, Raku and CPAN.",
    boards: [
      {
        slug: "perl-beginners",
        name: "Perl beginners",
        description: "No question is too small.",
        topics: [
          {
            title: "What does the diamond operator read from?",
            posts: [
              { author: "linus", body: "In while (<>) { ... }, where do the lines come from?" },
              { author: "grace", body: "From the files named in @ARGV, one after another, or from standard input when @ARGV is empty." },
            ],
          },
        ],
      },
    ],
  },
  {
    slug: "tcl",
    name: "Tcl",
    description: "Tcl, Tk and their extensions.",
    boards: [
      {
        slug: "tcl-general",
        name: "Tcl general",
        description: "Everything about Tcl and Tk.",
        topics: [
          {
            title: "Is Tk still a good choice for a small desktop tool?",
            posts: [
              { author: "ada", body: "I need a tiny cross-platform GUI for an internal tool. Is Tk 8.6 still worth it?" },
              { author: "linus", body: "It starts fast, ships everywhere and the themed widgets look native enough. For a small tool it is hard to beat." },
            ],
          },
        ],
      },
    ],
  },
];

type DemoRoom = { slug: string; name: string; description: string; messages: { author: string; body: string; minutesAfter: number }[] };

/** Demo chat rooms, with a short conversation each (times are minutes after the first message). */
export const DEMO_ROOMS: DemoRoom[] = [
  {
    slug: "lobby",
    name: "Lobby",
    description: "Say hello, ask where things are, talk about anything on topic for the portal.",
    messages: [
      { author: "grace", body: "Welcome to the lobby! This room is public: anyone can read it, so keep personal details out of it.", minutesAfter: 0 },
      { author: "linus", body: "Hi all. Is there a room for Python questions, or should those go to the forums?", minutesAfter: 3 },
      { author: "grace", body: "Quick questions are fine here or in #help. Longer ones are better as a topic on the *Python help* board, where answers are easier to find later.", minutesAfter: 4 },
      { author: "ada", body: "And if a chat turns into a good answer, we can promote it to a forum topic.", minutesAfter: 5 },
      { author: "linus", body: "Nice. Markdown works too: `python -m venv .venv`", minutesAfter: 26 * 60 },
      { author: "ada", body: "@linus yes, inline code, code blocks, links and emphasis.", minutesAfter: 26 * 60 + 2 },
    ],
  },
  {
    slug: "help",
    name: "Help",
    description: "Quick questions about Python, Perl and Tcl.",
    messages: [
      { author: "linus", body: "How do I print to stderr in Python 3?", minutesAfter: 0 },
      { author: "grace", body: "```python\nimport sys\nprint(\"oops\", file=sys.stderr)\n```", minutesAfter: 1 },
      { author: "linus", body: "Thanks, that works.", minutesAfter: 2 },
    ],
  },
];
