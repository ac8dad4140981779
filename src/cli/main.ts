import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { basename, extname, resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { todayIso } from "../clock.js";
import { loadConfig } from "../config.js";
import { loadNikKey, NikVault, nikVault, parseNikKey, replaceKeyFile } from "../db/nik-vault.js";
import { loadSanggauDemo } from "../demo/load.js";
import { loadNational } from "../demo/load-national.js";
import { ORGANISATION_KIND_OF_ROLE, ROLES, type Role } from "../domain/access.js";
import { isIsoDate } from "../domain/dates.js";
import { DomainError } from "../domain/errors.js";
import type { Lang } from "../domain/format.js";
import { isPeriod, monevFileName } from "../domain/monev.js";
import { parseRegionCode, regencyOf } from "../domain/regions.js";
import { renderMonevPdf } from "../reports/monev-pdf.js";
import { renderMonevXlsx } from "../reports/monev-xlsx.js";
import { rowErrorsCsv, rowErrorsXlsx } from "../reports/row-errors.js";
import {
  addUser,
  changeUserAccess,
  createApiToken,
  revokeApiToken,
  userIdByEmail,
} from "../services/accounts.js";
import { systemActor } from "../services/actor.js";
import { verifyAuditChain } from "../services/audit-verify.js";
import { backupDatabase, restoreDatabase } from "../services/backup.js";
import { runCompliance } from "../services/compliance.js";
import { type BreakdownKind, coverageAt, coverageBreakdown } from "../services/coverage.js";
import { rebuildCoverage, regenciesWithProjects } from "../services/coverage-aggregates.js";
import {
  type ImportResult,
  importProjects,
  importWorkers,
  PROJECT_COLUMNS,
  PROJECT_REQUIRED,
  WORKER_COLUMNS,
  WORKER_REQUIRED,
} from "../services/imports.js";
import { organisationByCode } from "../services/lookups.js";
import { monevReport } from "../services/monev.js";
import { rotateNikKey } from "../services/nik-rotation.js";
import { businessClock } from "../services/settings.js";
import { type HeaderAliases, readTable } from "../services/tabular.js";
import { buildWeb } from "./build-web.js";
import { withDatabase } from "./context.js";
import { progressBar, stopProgressBars } from "./progress.js";
import { renderCompliance, renderCoverage, renderImport } from "./render.js";
import { DEMO_SEED, serve } from "./serve.js";

const cliActor = systemActor("cli");

function isoDateArg(value: string): string {
  if (!isIsoDate(value)) throw new InvalidArgumentError("tanggal harus YYYY-MM-DD / date must be YYYY-MM-DD");
  return value;
}

function regionArg(value: string): string {
  try {
    return parseRegionCode(value).code;
  } catch {
    throw new InvalidArgumentError(
      "kode wilayah Kemendagri, mis. 61.03 / a Kemendagri region code, e.g. 61.03",
    );
  }
}

function periodArg(value: string): string {
  if (!isPeriod(value)) throw new InvalidArgumentError("periode harus YYYY-MM / period must be YYYY-MM");
  return value;
}

const langOption = () =>
  new Option("--lang <lang>", "bahasa keluaran / output language").choices(["id", "en"]).default("id");

async function writeErrorFile(path: string, result: ImportResult, columns: HeaderAliases): Promise<void> {
  // The NIK itself is never written back: row and field locate it in the contractor's own file.
  const xlsx = path.toLowerCase().endsWith(".xlsx");
  writeFileSync(
    path,
    xlsx ? await rowErrorsXlsx(result.errors, columns) : rowErrorsCsv(result.errors, columns),
  );
}

export function buildProgram(): Command {
  const program = new Command("pantau")
    .description(
      "Pantau Jakon: perlindungan BPJS Ketenagakerjaan (JKK, JKM) pekerja jasa konstruksi.\n" +
        "Database: PostgreSQL from DATABASE_URL, else embedded PGlite in PANTAU_DATA_DIR (default ./data).",
    )
    .showHelpAfterError();

  program
    .command("migrate")
    .description("Bawa skema basis data ke versi terbaru / bring the database schema to the latest version")
    .action(async () => {
      await withDatabase(async () => {
        console.log("Migrasi selesai / migrations done");
      });
    });

  program
    .command("demo [scenario]")
    .description(
      "Muat skenario demo ke basis data / load a demo scenario: sanggau (default; Kabupaten Sanggau 2025) " +
        "or national (a synthetic country on PostgreSQL, for scale work)",
    )
    .option("--seed <n>", "benih acak / random seed", (v) => Number.parseInt(v, 10), DEMO_SEED)
    .option("--workers <n>", "national: jumlah pekerja / workers", (v) => Number.parseInt(v, 10), 10_000_000)
    .option("--projects <n>", "national: jumlah proyek / projects", (v) => Number.parseInt(v, 10), 500_000)
    .action(
      async (scenario: string | undefined, opts: { seed: number; workers: number; projects: number }) => {
        await withDatabase(async ({ db }, config) => {
          if (scenario === "national") {
            if (!config.databaseUrl) {
              throw new DomainError(
                "NATIONAL_NEEDS_POSTGRES",
                "Demo nasional memerlukan PostgreSQL (DATABASE_URL) / needs DATABASE_URL",
              );
            }
            const bar = progressBar("Demo nasional (pekerja)");
            const r = await loadNational(db, config.databaseUrl, { ...opts, onProgress: bar.update });
            bar.stop();
            console.log(
              `${r.regencies} kabupaten/kota, ${r.projects} proyek, ${r.registrations} terdaftar BPJS, ${r.workers} pekerja; ` +
                `${r.seconds} s, puncak RSS ${r.peakRssMb} MB`,
            );
            return;
          }
          if (scenario !== undefined && scenario !== "sanggau")
            throw new DomainError("DEMO_UNKNOWN", `Skenario ${scenario} tidak dikenal (sanggau | national)`);
          const bar = progressBar("Demo Sanggau");
          const result = await loadSanggauDemo(db, {
            seed: opts.seed,
            today: todayIso(),
            actor: systemActor("demo"),
            onProgress: bar.update,
          });
          bar.stop();
          console.log(
            `${result.projects} proyek, ${result.registrations} terdaftar BPJS, ${result.payments} pembayaran, ${result.paymentClaims} pembayaran dan ${result.registrationClaims} pendaftaran menunggu BPJS, ${result.reportedEvents} laporan pekerja`,
          );
        });
      },
    );

  const importCmd = program
    .command("import")
    .description("Impor berkas CSV/XLSX / import a CSV or XLSX file (see docs/architecture.md for columns)");
  for (const kind of ["projects", "workers"] as const) {
    importCmd
      .command(`${kind} <file>`)
      .description(
        kind === "workers"
          ? "Laporan pekerja masuk/keluar: project_code, nik, name, birth_date, sex, event (join|leave), date"
          : "Proyek dari data pengadaan: code, name, district_code, work_unit_code, contractor_nib, contractor_name, funding_source, work_type, contract_value, spk_date, spmk_date, end_date",
      )
      .option(
        "--errors <file>",
        "berkas kesalahan per baris, CSV atau .xlsx / per-row error file, CSV or .xlsx (default: <file>.errors.csv)",
      )
      .addOption(langOption())
      .action(async (file: string, opts: { errors?: string; lang: Lang }) => {
        await withDatabase(async ({ db }) => {
          const bar = progressBar(`Impor ${basename(file)}`);
          const source = extname(file).toLowerCase() === ".xlsx" ? "xlsx" : "csv";
          const result =
            kind === "workers"
              ? await importWorkers(db, readTable(file, WORKER_COLUMNS, WORKER_REQUIRED), {
                  today: (await businessClock(db))(),
                  actor: cliActor,
                  source,
                  onProgress: bar.update,
                })
              : await importProjects(db, readTable(file, PROJECT_COLUMNS, PROJECT_REQUIRED), {
                  actor: cliActor,
                  onProgress: bar.update,
                });
          bar.stop();
          console.log(renderImport(result, opts.lang));
          if (result.errors.length > 0) {
            const errorFile = opts.errors ?? `${file}.errors.csv`;
            await writeErrorFile(errorFile, result, kind === "workers" ? WORKER_COLUMNS : PROJECT_COLUMNS);
            console.log(
              opts.lang === "id" ? `Rincian kesalahan: ${errorFile}` : `Error details: ${errorFile}`,
            );
            process.exitCode = 2;
          }
        });
      });
  }

  const coverage = program
    .command("coverage")
    .description("Cakupan kepesertaan per wilayah dan tanggal / coverage for a region and date")
    .option("--region <code>", "kode wilayah Kemendagri / region code", regionArg, "61.03")
    .option("--date <date>", "tanggal YYYY-MM-DD (default: hari ini / today)", isoDateArg)
    .addOption(
      new Option("--by <kind>", "rincian / breakdown").choices([
        "district",
        "work_unit",
        "contractor",
        "project",
      ]),
    )
    .option("--json", "keluaran JSON / JSON output")
    .addOption(langOption())
    .action(
      async (opts: { region: string; date?: string; by?: BreakdownKind; json?: boolean; lang: Lang }) => {
        await withDatabase(async ({ db }) => {
          const q = {
            scope: "region" as const,
            id: opts.region,
            date: opts.date ?? (await businessClock(db))(),
          };
          const report = await coverageAt(db, q, cliActor);
          const breakdown = opts.by ? await coverageBreakdown(db, q, opts.by, cliActor) : null;
          console.log(
            opts.json
              ? JSON.stringify({ ...report, breakdown }, null, 2)
              : renderCoverage(report, breakdown, opts.lang),
          );
        });
      },
    );

  coverage
    .command("rebuild")
    .description(
      "Hitung ulang cakupan tersimpan dari data pekerja / count the kept coverage afresh from the assignments",
    )
    .option("--region <code>", "kabupaten/kota atau provinsi / regency or province", regionArg, "61.03")
    .action(async (opts: { region: string }) => {
      await withDatabase(async ({ db }) => {
        const regencies = await regenciesWithProjects(db, opts.region);
        const bar = progressBar("Cakupan / coverage");
        let changes = 0;
        for (const [i, regencyCode] of regencies.entries()) {
          changes += (await rebuildCoverage(db, regencyCode)).changes;
          bar.update(i + 1, regencies.length);
        }
        bar.stop();
        console.log(
          `${regencies.length} kabupaten/kota, ${changes} baris cakupan / regencies, coverage rows`,
        );
      });
    });

  program
    .command("compliance")
    .description("Kepatuhan penyedia jasa / contractor compliance")
    .command("run")
    .description(
      "Jalankan aturan kepatuhan 1–6 untuk satu kabupaten / evaluate compliance rules for a regency",
    )
    .option("--region <code>", "kode kabupaten/kota / regency code", regionArg, "61.03")
    .option("--date <date>", "tanggal evaluasi (default: hari ini) / evaluation date", isoDateArg)
    .option(
      "--full",
      "evaluasi semua proyek, bukan hanya yang berubah / evaluate every project, not only what changed",
    )
    .option("--json", "keluaran JSON / JSON output")
    .addOption(langOption())
    .action(async (opts: { region: string; date?: string; full?: boolean; json?: boolean; lang: Lang }) => {
      await withDatabase(async ({ db }) => {
        const bar = progressBar("Kepatuhan");
        const summary = await runCompliance(
          db,
          {
            regencyCode: regencyOf(opts.region),
            date: opts.date ?? (await businessClock(db))(),
            full: opts.full ?? false,
          },
          cliActor,
          bar.update,
        );
        bar.stop();
        console.log(opts.json ? JSON.stringify(summary, null, 2) : renderCompliance(summary, opts.lang));
      });
    });

  program
    .command("report")
    .description("Laporan / reports")
    .command("monev")
    .description(
      "Laporan Monev (monitoring dan evaluasi) satu kabupaten untuk satu bulan, XLSX atau PDF / the Monev report",
    )
    .option("--region <code>", "kode kabupaten/kota / regency code", regionArg, "61.03")
    .requiredOption("--period <YYYY-MM>", "bulan laporan / reporting month", periodArg)
    .addOption(
      new Option("--format <format>", "format berkas / file format").choices(["xlsx", "pdf"]).default("xlsx"),
    )
    .option("--out <file>", "berkas keluaran (default: monev-<region>-<period>.<format>) / output file")
    .action(async (opts: { region: string; period: string; format: "xlsx" | "pdf"; out?: string }) => {
      await withDatabase(async ({ db }) => {
        const today = (await businessClock(db))();
        const bar = progressBar(`Monev ${opts.region} ${opts.period}`);
        const report = await monevReport(
          db,
          { regionCode: opts.region, period: opts.period },
          cliActor,
          today,
          bar.update,
        );
        const bytes = opts.format === "pdf" ? await renderMonevPdf(report) : await renderMonevXlsx(report);
        bar.stop();
        const out = opts.out ?? monevFileName(opts.region, opts.period, opts.format);
        writeFileSync(out, bytes);
        console.log(resolve(out));
      });
    });

  const user = program.command("user").description("Pengguna dan token API / users and API tokens");
  user
    .command("add")
    .description("Tambah pengguna / add a user (the password is printed once when generated)")
    .requiredOption("--email <email>", "alamat email / e-mail address")
    .requiredOption("--name <name>", "nama / full name")
    .addOption(new Option("--role <role>", "peran / role").choices([...ROLES]).makeOptionMandatory())
    .option("--org <code>", "kode organisasi (NIB penyedia, kode OPD, …) / organisation code")
    .option(
      "--region <code>",
      "wilayah kerja pengguna BPJS, atau kabupaten OPD/Kejaksaan-nya, mis. 61.03 / a BPJS user's region, or the regency of its work unit or prosecutor's office",
      regionArg,
    )
    .option("--password <password>", "kata sandi (min. 10); tanpa ini dibuat acak / generated when omitted")
    .action(
      async (opts: {
        email: string;
        name: string;
        role: Role;
        org?: string;
        region?: string;
        password?: string;
      }) => {
        await withDatabase(async ({ db }) => {
          const kind = ORGANISATION_KIND_OF_ROLE[opts.role];
          // A work unit's or a prosecutor's office's code is its regency's own: --region names it.
          const org =
            kind && opts.org ? await organisationByCode(db, kind, opts.org, opts.region ?? null) : undefined;
          if (kind && !org) {
            const where = opts.region ? ` di/in ${opts.region}` : "";
            throw new DomainError(
              "ORGANISATION_NOT_FOUND",
              `Organisasi ${kind} dengan kode ${opts.org ?? "(kosong)"}${where} tidak ada / ` +
                `no ${kind} organisation with code ${opts.org ?? "(none)"}${where}` +
                (kind === "work_unit" || kind === "enforcer"
                  ? " (--region: kabupaten/kota organisasi itu / its regency)"
                  : ""),
            );
          }
          const password = opts.password ?? randomBytes(12).toString("base64url");
          const created = await addUser(
            db,
            {
              email: opts.email,
              name: opts.name,
              role: opts.role,
              organisationId: org?.id ?? null,
              regionCode: opts.region ?? null,
              password,
            },
            cliActor,
          );
          console.log(`Pengguna #${created.id} ${created.email} (${created.role}) dibuat.`);
          if (!opts.password) console.log(`Kata sandi / password (sekali ini saja): ${password}`);
        });
      },
    );
  for (const [action, description] of [
    ["disable", "Nonaktifkan pengguna; sesinya berakhir / disable a user, ending their sessions"],
    ["enable", "Aktifkan kembali pengguna / enable a user again"],
  ] as const) {
    user
      .command(`${action} <email>`)
      .description(description)
      .action(async (email: string) => {
        await withDatabase(async ({ db }) => {
          const changed = await changeUserAccess(db, await userIdByEmail(db, email), { action }, cliActor);
          console.log(
            `Pengguna ${changed.email}: ${changed.disabled ? "nonaktif / disabled" : "aktif / enabled"}`,
          );
          if (changed.revokedTokens > 0)
            console.log(
              `${changed.revokedTokens} token API yang dibuatnya dicabut / API tokens it created revoked`,
            );
        });
      });
  }
  user
    .command("password <email>")
    .description("Tetapkan kata sandi baru; sesinya berakhir / set a new password, ending their sessions")
    .option("--password <password>", "kata sandi (min. 10); tanpa ini dibuat acak / generated when omitted")
    .action(async (email: string, opts: { password?: string }) => {
      await withDatabase(async ({ db }) => {
        const password = opts.password ?? randomBytes(12).toString("base64url");
        await changeUserAccess(
          db,
          await userIdByEmail(db, email),
          { action: "password", password },
          cliActor,
        );
        console.log(`Kata sandi ${email} diganti / password changed.`);
        if (!opts.password) console.log(`Kata sandi / password (sekali ini saja): ${password}`);
      });
    });
  user
    .command("token")
    .description("Buat token API untuk penyedia jasa / create a contractor API token (shown once)")
    .requiredOption("--org <nib>", "NIB penyedia jasa / the contractor's NIB")
    .option("--name <name>", "nama token / token name", "integrasi")
    .action(async (opts: { org: string; name: string }) => {
      await withDatabase(async ({ db }) => {
        const org = await organisationByCode(db, "contractor", opts.org);
        if (!org)
          throw new DomainError(
            "ORGANISATION_NOT_FOUND",
            `Penyedia jasa dengan NIB ${opts.org} tidak ada / no contractor with NIB ${opts.org}`,
          );
        const token = await createApiToken(db, org.id, opts.name, cliActor);
        console.log(
          `Token #${token.id} (${token.prefix}…) — simpan sekarang, tidak ditampilkan lagi / store it now:`,
        );
        console.log(token.token);
      });
    });
  user
    .command("revoke-token <id>")
    .description("Cabut token API / revoke an API token")
    .action(async (id: string) => {
      await withDatabase(async ({ db }) => {
        await revokeApiToken(db, Number(id), cliActor);
        console.log(`Token #${id} dicabut / revoked`);
      });
    });

  program
    .command("audit")
    .description("Jejak audit / audit trail")
    .command("verify")
    .description("Periksa rantai hash jejak audit / verify the audit log's hash chain")
    .action(async () => {
      await withDatabase(async ({ db }) => {
        const bar = progressBar("Audit");
        const result = await verifyAuditChain(db, bar.update);
        bar.stop();
        if (result.ok)
          console.log(`Rantai audit utuh: ${result.rows} baris / audit chain intact: ${result.rows} rows`);
        else {
          const b = result.firstBroken;
          console.log(
            `Rantai audit RUSAK mulai baris #${b?.id} (${b?.reason}) / audit chain BROKEN at row #${b?.id}`,
          );
          process.exitCode = 3;
        }
      });
    });

  program
    .command("nik")
    .description("Kunci NIK / the NIK key")
    .command("rotate-key")
    .description(
      "Pindahkan semua NIK ke kunci baru dari PANTAU_NIK_KEY_NEW; hentikan server dulu / " +
        "put every NIK under the new key in PANTAU_NIK_KEY_NEW; stop the servers first (docs/security.md)",
    )
    .action(async () => {
      const config = loadConfig();
      if (!config.nikKeyNew)
        throw new DomainError(
          "NIK_KEY_NEW_MISSING",
          "Setel PANTAU_NIK_KEY_NEW ke kunci baru / set PANTAU_NIK_KEY_NEW to the new key " +
            "(64 hex digits or base64 of 32 bytes, e.g. from `openssl rand -hex 32`)",
        );
      const newKey = parseNikKey(config.nikKeyNew);
      if (newKey.equals(loadNikKey(config.nikKey, config.dataDir)))
        throw new DomainError(
          "NIK_KEY_UNCHANGED",
          "Kunci baru sama dengan kunci lama / the new key is the old one",
        );
      await withDatabase(async ({ db }) => {
        const bar = progressBar("Kunci NIK / NIK key");
        const r = await rotateNikKey(db, { from: nikVault(), to: new NikVault(newKey) }, cliActor, {
          onProgress: bar.update,
        });
        bar.stop();
        console.log(
          `${r.persons} NIK dan ${r.eventKeys} kunci laporan kini di bawah kunci baru; ` +
            `${r.requestHashes} sidik batch dihapus / NIKs and report keys are now under the new key; ` +
            "batch request hashes dropped",
        );
        if (config.nikKey) {
          console.log(
            "Setel PANTAU_NIK_KEY ke kunci baru sebelum server dijalankan lagi / " +
              "set PANTAU_NIK_KEY to the new key before starting the servers again",
          );
        } else {
          const file = replaceKeyFile(config.dataDir, newKey);
          console.log(`Kunci baru disimpan di ${file} / the new key is now in ${file}`);
        }
      });
    });

  program
    .command("backup <file>")
    .description(
      "Cadangkan seluruh basis data ke satu berkas gzip (PGlite atau PostgreSQL) / " +
        "back up the whole database to one gzip file (docs/operations.md)",
    )
    .action(async (file: string) => {
      await withDatabase(async (database) => {
        const bar = progressBar("Cadangan / backup");
        const r = await backupDatabase(database, file, { onProgress: bar.update });
        bar.stop();
        console.log(
          `${r.tables} tabel, ${r.rows} baris disimpan di ${resolve(file)} (${r.bytes} byte) / ` +
            `tables, rows saved`,
        );
      });
    });

  program
    .command("restore <file>")
    .description(
      "Pulihkan cadangan ke basis data yang masih kosong / restore a backup into an empty database " +
        "(PANTAU_NIK_KEY must be the source's)",
    )
    .action(async (file: string) => {
      await withDatabase(async (database) => {
        const bar = progressBar("Pemulihan / restore");
        const r = await restoreDatabase(database, file, { onProgress: bar.update });
        bar.stop();
        console.log(
          `${r.tables} tabel, ${r.rows} baris dipulihkan dari cadangan ${r.createdAt} (${r.source.engine}) / ` +
            `tables, rows restored`,
        );
      });
    });

  program
    .command("serve")
    .description("Jalankan server HTTP di HOST:PORT (default 127.0.0.1:3000) / run the HTTP server")
    .option(
      "--demo-if-empty",
      "muat demo Sanggau bila basis data kosong / load the demo into an empty database",
    )
    .action(async (opts: { demoIfEmpty?: boolean }) => serve({ demoIfEmpty: opts.demoIfEmpty ?? false }));

  program
    .command("build")
    .description(
      "Bangun dasbor web ke web/dist dan periksa batas ukuran JS / build the dashboard and check its JS budget",
    )
    .action(async () => {
      const { withinBudget } = await buildWeb();
      if (!withinBudget)
        throw new DomainError("WEB_BUDGET_EXCEEDED", "JS halaman pertama melebihi 300 kB gzip");
    });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    stopProgressBars();
    if (e instanceof DomainError) {
      console.error(`Galat / error [${e.code}]: ${e.message}`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}
