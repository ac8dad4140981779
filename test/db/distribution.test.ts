import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COORDINATOR, citusStatements, DISTRIBUTED, REFERENCE } from "../../src/db/distribution.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

describe.each(backends)("the schema obeys its Citus distribution [%s]", (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(backend);
  });
  afterAll(async () => {
    await t.close();
  });

  it("classifies every table once: distributed, reference or coordinator", async () => {
    const tables = await sql<{ name: string }>`
      select relname as name from pg_class
      where relnamespace = 'public'::regnamespace and relkind in ('r', 'p') order by 1`.execute(t.db);
    const classified = [...Object.keys(DISTRIBUTED), ...REFERENCE, ...COORDINATOR];
    expect(new Set(classified).size).toBe(classified.length);
    expect(tables.rows.map((r) => r.name).sort()).toEqual([...classified].sort());
  });

  it("has the distribution column in every primary key and unique index of a distributed table", async () => {
    const keys = await sql<{ table: string; index: string; columns: string[] }>`
      select c.relname as table, i.relname as index,
        array(select a.attname::text from unnest(x.indkey) k join pg_attribute a on a.attrelid = c.oid and a.attnum = k) as columns
      from pg_index x join pg_class c on c.oid = x.indrelid join pg_class i on i.oid = x.indexrelid
      where x.indisunique and c.relnamespace = 'public'::regnamespace`.execute(t.db);
    const distributedKeys = keys.rows.filter((k) => k.table in DISTRIBUTED);
    expect(distributedKeys.length).toBeGreaterThanOrEqual(Object.keys(DISTRIBUTED).length);
    const missing = distributedKeys.filter((k) => !k.columns.includes(DISTRIBUTED[k.table] as string));
    expect(missing).toEqual([]);
  });

  it("joins distributed tables by foreign keys that carry the distribution column, and no reference table points at one", async () => {
    const fks = await sql<{
      name: string;
      from: string;
      to: string;
      fromColumns: string[];
      toColumns: string[];
    }>`
      select con.conname as name, f.relname as from, r.relname as to,
        array(select a.attname::text from unnest(con.conkey) k join pg_attribute a on a.attrelid = f.oid and a.attnum = k) as "fromColumns",
        array(select a.attname::text from unnest(con.confkey) k join pg_attribute a on a.attrelid = r.oid and a.attnum = k) as "toColumns"
      from pg_constraint con join pg_class f on f.oid = con.conrelid join pg_class r on r.oid = con.confrelid
      where con.contype = 'f' and f.relnamespace = 'public'::regnamespace`.execute(t.db);
    expect(fks.rows.length).toBeGreaterThan(0);
    const wrong = fks.rows.filter((fk) => {
      const from = DISTRIBUTED[fk.from];
      const to = DISTRIBUTED[fk.to];
      if (!to) return false; // to a reference table: allowed from anywhere
      if (!from) return true; // a reference or coordinator table cannot point at a distributed one
      // Co-located: the distribution columns pair up in the same position of the key.
      return fk.fromColumns.indexOf(from) < 0 || fk.fromColumns.indexOf(from) !== fk.toColumns.indexOf(to);
    });
    expect(wrong).toEqual([]);
  });

  it("lays every table out once on Citus, distributed tables co-located with project", () => {
    const statements = citusStatements();
    expect(statements).toHaveLength(Object.keys(DISTRIBUTED).length + REFERENCE.length + COORDINATOR.length);
    expect(statements).toContain(
      "select create_distributed_table('assignment', 'regency_code', colocate_with => 'project');",
    );
    expect(statements).toContain("select create_reference_table('organisation');");
  });
});
