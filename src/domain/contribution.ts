import type { IsoDate } from "./dates.js";
import { DomainError } from "./errors.js";
import { formatDate } from "./format.js";

/**
 * JKK + JKM contribution (iuran) for a construction project. Rates are data: a versioned table with
 * a validity period (DESIGN.md §8), loaded from the database and passed in; this module holds no rate.
 * Rates are in parts per million of the base, so that relief tables (1 % of normal) stay integers.
 */
export type RiskClass = "very_low" | "low" | "medium" | "high" | "very_high";
export const RISK_CLASSES: readonly RiskClass[] = ["very_low", "low", "medium", "high", "very_high"];

export interface RateTier {
  /** Tier label, e.g. "a". */
  tier: string;
  /** Upper bound (rupiah, inclusive) of the slice of contract value this tier taxes; null = no bound. */
  upTo: number | null;
  jkkPpm: number;
  jkmPpm: number;
}

export interface RateTable {
  version: string;
  regulation: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  /** "partial" where some rates are derived rather than read from the regulation itself. */
  verified: "full" | "partial";
  tiers: RateTier[];
  wageJkkPpm: Record<RiskClass, number>;
  wageJkmPpm: number;
}

export type ContributionBasis = "contract_value" | "wage";

export interface TierLine {
  tier: string;
  from: number;
  to: number | null;
  /** The part of the contract value inside this tier. */
  slice: number;
  jkkPpm: number;
  jkmPpm: number;
  jkk: number;
  jkm: number;
}

export interface Contribution {
  basis: ContributionBasis;
  tableVersion: string;
  jkk: number;
  jkm: number;
  total: number;
  /** Step-by-step computation, one line per tier (contract basis) or per worker (wage basis). */
  lines: TierLine[] | WageLine[];
}

export interface WageLine {
  monthlyWage: number;
  months: number;
  jkk: number;
  jkm: number;
}

const MILLION = 1_000_000n;

/** Round a ppm-scaled bigint amount to whole rupiah, halves away from zero (amounts are never negative). */
function roundPpm(scaled: bigint): number {
  return Number((scaled + MILLION / 2n) / MILLION);
}

/**
 * Round the total once (so that one more rupiah of base never adds more than one rupiah of
 * contribution), then split it: JKM rounded on its own, JKK the rest, so JKK + JKM = total exactly.
 */
function splitTotal(jkkScaled: bigint, jkmScaled: bigint): { jkk: number; jkm: number; total: number } {
  const total = roundPpm(jkkScaled + jkmScaled);
  const jkm = roundPpm(jkmScaled);
  return { jkk: total - jkm, jkm, total };
}

/** The table in force on `date`: of those whose validity contains it, the one that starts last. */
export function rateTableFor(tables: readonly RateTable[], date: IsoDate): RateTable {
  const inForce = tables
    .filter((t) => t.validFrom <= date && (t.validTo === null || date <= t.validTo))
    .sort((a, b) => b.validFrom.localeCompare(a.validFrom));
  const table = inForce[0];
  if (!table) {
    throw new DomainError(
      "RATE_TABLE_MISSING",
      `Tidak ada tabel tarif iuran yang berlaku pada ${formatDate(date)}`,
      {
        date,
      },
    );
  }
  return table;
}

function assertRupiah(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new DomainError("AMOUNT_INVALID", `${field} harus bilangan bulat rupiah ≥ 0`, { field, value });
  }
}

/**
 * Contract-value basis: each tier's rate applies only to the part of the value inside that tier,
 * like income-tax brackets, so the result is continuous and monotone in the value.
 * Source: PP 44/2015 Lampiran (jasa konstruksi), Permenaker 44/2015.
 */
export function contractValueContribution(contractValue: number, table: RateTable): Contribution {
  assertRupiah(contractValue, "nilai kontrak");
  const value = BigInt(contractValue);
  let from = 0n;
  let jkkScaled = 0n;
  let jkmScaled = 0n;
  const lines: TierLine[] = [];
  for (const t of table.tiers) {
    const top = t.upTo === null ? value : BigInt(t.upTo);
    const slice = value > from ? (value < top ? value : top) - from : 0n;
    const jkk = slice > 0n ? slice * BigInt(t.jkkPpm) : 0n;
    const jkm = slice > 0n ? slice * BigInt(t.jkmPpm) : 0n;
    jkkScaled += jkk;
    jkmScaled += jkm;
    lines.push({
      tier: t.tier,
      from: Number(from),
      to: t.upTo,
      slice: Number(slice > 0n ? slice : 0n),
      jkkPpm: t.jkkPpm,
      jkmPpm: t.jkmPpm,
      jkk: roundPpm(jkk),
      jkm: roundPpm(jkm),
    });
    if (t.upTo === null) break;
    from = BigInt(t.upTo);
  }
  return { basis: "contract_value", tableVersion: table.version, ...splitTotal(jkkScaled, jkmScaled), lines };
}

/**
 * Wage basis: JKK by the work's risk class plus JKM, each a share of the monthly wage, for every
 * month the worker is on the project. Source: PP 44/2015 ps. 16 (JKK classes) and ps. 46 (JKM 0.30 %).
 */
export function wageContribution(
  workers: readonly { monthlyWage: number; months: number }[],
  riskClass: RiskClass,
  table: RateTable,
): Contribution {
  let jkkScaled = 0n;
  let jkmScaled = 0n;
  const lines: WageLine[] = workers.map((w) => {
    assertRupiah(w.monthlyWage, "upah bulanan");
    if (!Number.isInteger(w.months) || w.months < 0) {
      throw new DomainError("MONTHS_INVALID", "Jumlah bulan harus bilangan bulat ≥ 0", { months: w.months });
    }
    const base = BigInt(w.monthlyWage) * BigInt(w.months);
    const jkk = base * BigInt(table.wageJkkPpm[riskClass]);
    const jkm = base * BigInt(table.wageJkmPpm);
    jkkScaled += jkk;
    jkmScaled += jkm;
    return { monthlyWage: w.monthlyWage, months: w.months, jkk: roundPpm(jkk), jkm: roundPpm(jkm) };
  });
  return { basis: "wage", tableVersion: table.version, ...splitTotal(jkkScaled, jkmScaled), lines };
}

/** "0,24 %" from 2400 ppm, for letters and the step-by-step view. */
export function formatPpmAsPercent(ppm: number): string {
  return `${(ppm / 10_000).toLocaleString("id-ID", { maximumFractionDigits: 4 })} %`;
}
