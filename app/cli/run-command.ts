// The shape every Threadline command-line tool shares: parse the arguments
// (a UsageError prints the usage text, exit code 2), run against the
// database, print refusals one line each (exit code 1), always disconnect.

export class UsageError extends Error {}

/** A refusal with a message for the operator (exit code 1). */
export class Refusal extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join("\n"));
  }
}

export async function runCommand<C extends { command: string }>(
  argv: string[],
  usage: string,
  parse: (argv: string[]) => C,
  run: (command: Exclude<C, { command: "help" }>) => Promise<void>,
): Promise<number> {
  let command: C;
  try {
    command = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    return 2;
  }
  if (command.command === "help") {
    console.log(usage);
    return 0;
  }
  const { ensureDbReady, disconnectDb } = await import("../utils/db.server");
  try {
    await ensureDbReady();
    await run(command as Exclude<C, { command: "help" }>);
    return 0;
  } catch (error) {
    if (error instanceof Refusal) {
      for (const line of error.lines) console.error(line);
      return 1;
    }
    console.error(`Could not complete the command: ${error instanceof Error ? error.message : String(error)}`);
    console.error("Is the database set up? Run `npm run setup` with the same DATA_DIR / DATABASE_URL first.");
    return 1;
  } finally {
    await disconnectDb().catch(() => {});
  }
}
