// Looks for strings in every column of every table of a SQLite database,
// found through sqlite_master and pragma table_info, so tables and columns
// added later are searched without anyone remembering to list them.
import Database from "better-sqlite3";

export type Finding = { table: string; column: string; needle: string; count: number };

type Options = {
  /** Tables left out (by exact name or a test of the name). */
  skipTables?: (name: string) => boolean;
};

export function findStrings(file: string, needles: string[], options: Options = {}): Finding[] {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as Array<{ name: string }>;
    const findings: Finding[] = [];
    for (const { name } of tables) {
      if (options.skipTables?.(name)) continue;
      let columns: Array<{ name: string }>;
      try {
        columns = sqlite.prepare(`PRAGMA table_info("${name.replace(/"/g, '""')}")`).all() as Array<{ name: string }>;
      } catch {
        continue; // a virtual table whose module is not loaded here
      }
      for (const column of columns) {
        for (const needle of needles) {
          // Every column, whatever its declared type: a text or blob column added later is covered too.
          const { count } = sqlite
            .prepare(`SELECT count(*) AS count FROM "${name.replace(/"/g, '""')}" WHERE instr(lower(CAST("${column.name.replace(/"/g, '""')}" AS TEXT)), ?) > 0`)
            .get(needle.toLowerCase()) as { count: number };
          if (count > 0) findings.push({ table: name, column: column.name, needle, count });
        }
      }
    }
    return findings;
  } finally {
    sqlite.close();
  }
}

/** The names of the tables scanned, so a test can show that it really looked everywhere. */
export function tableNames(file: string): string[] {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>).map((row) => row.name);
  } finally {
    sqlite.close();
  }
}
