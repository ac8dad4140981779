import pg from "pg";
import type { Db } from "../db/connection.js";
import { copyInto } from "../db/copy.js";
import { nikVault } from "../db/nik-vault.js";
import { rateTableFor } from "../domain/contribution.js";
import { issuingRegency } from "../domain/nik.js";
import { DEFAULT_REGISTRATION_SETTINGS } from "../domain/registration.js";
import { loadRateTables } from "../services/rates.js";
import { type NationalRegion, planNational, registrationOf, WORK_UNIT_CODES, workersOf } from "./national.js";
import { Random } from "./random.js";

export interface NationalLoadResult {
  regencies: number;
  projects: number;
  registrations: number;
  workers: number;
  peakRssMb: number;
  seconds: number;
}

/**
 * Stream the synthetic country into PostgreSQL with COPY, in one transaction (all or nothing).
 * Rows bypass the per-request use cases on purpose: this is bulk scale data, not reports.
 */
export async function loadNational(
  db: Db,
  url: string,
  opts: {
    projects: number;
    workers: number;
    seed: number;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<NationalLoadResult> {
  const started = performance.now();
  let peak = process.memoryUsage().rss;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const client = new pg.Client({ connectionString: url });
  const vault = nikVault();
  await client.connect();
  try {
    const exists = await client.query("select 1 from project where code like '%/N/%' limit 1");
    if (exists.rowCount) throw new Error("The national data set is already loaded in this database");
    const regionRows = await client.query<{ code: string; name: string; districts: string[] }>(
      `select r.code, r.name, array_agg(d.code order by d.code) as districts
       from region r join region d on d.parent_code = r.code
       where r.level = 'regency' group by r.code, r.name order by r.code`,
    );
    const regions: NationalRegion[] = regionRows.rows;
    const tables = await loadRateTables(db);
    const plan = planNational(regions, opts);
    sample();

    await client.query("begin");
    // Coverage is counted once per regency at the end rather than by the triggers for each COPY.
    await client.query("set local pantau.coverage = 'deferred'");
    const orgRows = function* () {
      for (const [i, r] of regions.entries()) {
        for (const code of WORK_UNIT_CODES)
          yield ["work_unit", `${r.code}-${code}`, `${code} ${r.name}`, r.code];
        for (let k = 0; k < (plan.regencies[i]?.contractors ?? 0); k++) {
          yield ["contractor", `${r.code}-K${k}`, `Penyedia ${r.code}-${k}`, r.code];
        }
      }
    };
    await copyInto(client, "organisation", ["kind", "code", "name", "regency_code"], orgRows());
    const orgIds = new Map<string, number>();
    for (const row of (
      await client.query<{ id: string; code: string }>(
        "select id, code from organisation where code like '__.__-%'",
      )
    ).rows) {
      orgIds.set(row.code, Number(row.id));
    }
    const projectBase = Number(
      (await client.query("select coalesce(max(id), 0) as m from project")).rows[0].m,
    );
    const personBase = Number((await client.query("select coalesce(max(id), 0) as m from person")).rows[0].m);
    const assignmentBase = Number(
      (await client.query("select coalesce(max(id), 0) as m from assignment")).rows[0].m,
    );

    await copyInto(
      client,
      "project",
      [
        "regency_code",
        "id",
        "code",
        "name",
        "district_code",
        "work_unit_id",
        "contractor_id",
        "funding_source",
        "work_type",
        "contract_value",
        "spk_date",
        "spmk_date",
        "end_date",
      ],
      (function* () {
        for (const p of plan.projects()) {
          yield [
            p.regencyCode,
            projectBase + p.id,
            p.code,
            `Paket ${p.code}`,
            p.districtCode,
            p.workUnitIndex === null
              ? null
              : orgIds.get(`${p.regencyCode}-${WORK_UNIT_CODES[p.workUnitIndex]}`),
            orgIds.get(`${p.regencyCode}-K${p.contractorIndex}`),
            p.fundingSource,
            p.workType,
            p.contractValue,
            p.spkDate,
            p.spmkDate,
            p.endDate,
          ];
        }
      })(),
    );
    // Registrations and payments: a pass over the projects each, the contribution computed by the domain
    // in both (a few hundred thousand small sums: cheaper than holding them to stay in flat memory).
    const registered = function* () {
      for (const p of plan.projects()) {
        const r = registrationOf(
          p,
          { forDate: (d) => rateTableFor(tables, d) },
          DEFAULT_REGISTRATION_SETTINGS.paymentDueDays,
        );
        if (r && p.registeredOn) yield { p, r, registeredOn: p.registeredOn };
      }
    };
    let registrations = 0;
    await copyInto(
      client,
      "project_registration",
      [
        "regency_code",
        "project_id",
        "registration_no",
        "registered_on",
        "basis",
        "rate_table_version",
        "contribution_jkk",
        "contribution_jkm",
        "contribution_amount",
        "computation",
        "coverage_start",
        "coverage_end",
        "due_date",
      ],
      (function* () {
        for (const { p, r, registeredOn } of registered()) {
          registrations += 1;
          yield [
            p.regencyCode,
            projectBase + p.id,
            r.number,
            registeredOn,
            "contract_value",
            r.tableVersion,
            r.jkk,
            r.jkm,
            r.total,
            "{}",
            registeredOn,
            p.endDate,
            r.dueDate,
          ];
        }
      })(),
    );
    await copyInto(
      client,
      "payment",
      ["regency_code", "project_id", "paid_on", "amount", "reference"],
      (function* () {
        for (const { p, r } of registered())
          if (p.paidOn) yield [p.regencyCode, projectBase + p.id, p.paidOn, r.total, `NAT-${p.id}`];
      })(),
    );

    // People, then their stints: two passes over the same generated workers (the same seed each time),
    // each streamed straight into its COPY, so memory does not grow with the country.
    let done = 0;
    const everyWorker = function* () {
      const rnd = new Random(opts.seed + 1);
      let next = 0;
      for (const p of plan.projects()) {
        for (const w of workersOf(p, next, rnd)) {
          if (++done % 100_000 === 0) {
            sample();
            opts.onProgress?.(done, 3 * opts.workers);
          }
          yield { p, w };
        }
        next += p.workers;
      }
    };
    await copyInto(
      client,
      "person",
      ["home_regency_code", "id", "nik_hash", "nik_sealed", "name", "birth_date", "sex"],
      (function* () {
        for (const { w } of everyWorker()) {
          const personId = personBase + w.personId + 1;
          yield [
            issuingRegency(w.nik),
            personId,
            vault.hash(w.nik),
            vault.seal(w.nik),
            `Pekerja ${personId}`,
            w.birthDate,
            w.sex,
          ];
        }
      })(),
    );
    const total = done;
    await copyInto(
      client,
      "assignment",
      ["regency_code", "id", "project_id", "person_id", "joined_on", "left_on"],
      (function* () {
        for (const { p, w } of everyWorker())
          yield [
            p.regencyCode,
            assignmentBase + w.personId + 1,
            projectBase + p.id,
            personBase + w.personId + 1,
            w.joinedOn,
            w.leftOn,
          ];
      })(),
    );
    await client.query("analyze project, project_registration, payment, assignment");
    for (const [i, r] of regions.entries()) {
      await client.query("select coverage_rebuild($1)", [r.code]);
      opts.onProgress?.(done + Math.round((done / 2) * ((i + 1) / regions.length)), (3 * done) / 2);
    }
    for (const [table, column] of [
      ["project", "id"],
      ["person", "id"],
      ["assignment", "id"],
      ["organisation", "id"],
      ["payment", "id"],
    ]) {
      await client.query(
        `select setval(pg_get_serial_sequence('${table}', '${column}'), (select coalesce(max(${column}), 1) from ${table}))`,
      );
    }
    await client.query("commit");
    await client.query("analyze");
    sample();
    return {
      regencies: regions.length,
      projects: opts.projects,
      registrations,
      workers: total,
      peakRssMb: Math.round(peak / 1024 / 1024),
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } catch (e) {
    await client.query("rollback").catch(() => undefined);
    throw e;
  } finally {
    await client.end();
  }
}
