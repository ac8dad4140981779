import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/**
 * Bulk load rows with PostgreSQL `COPY … FROM STDIN` (CSV), streaming: rows are produced, encoded and
 * sent as they come, so memory stays flat however many there are. An empty field is NULL.
 */
export async function copyInto(
  client: pg.PoolClient | pg.Client,
  table: string,
  columns: readonly string[],
  rows: Iterable<unknown[]> | AsyncIterable<unknown[]>,
): Promise<void> {
  const target = client.query(copyFrom(`copy ${table} (${columns.join(", ")}) from stdin with (format csv)`));
  await pipeline(Readable.from(rows), stringify({ cast: { boolean: (b) => (b ? "t" : "f") } }), target);
}
