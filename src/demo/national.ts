import { contractValueContribution, type RateTable } from "../domain/contribution.js";
import { estimateWorkforce, type WorkType } from "../domain/coverage.js";
import { addDays, daysBetween, type IsoDate, maxDate, minDate } from "../domain/dates.js";
import { composeNik, type Sex } from "../domain/nik.js";
import { registrationNumber } from "../domain/registration.js";
import { apportion, Random } from "./random.js";

/**
 * A synthetic country for scale work (`pantau demo national`): every regency and city of the region
 * table, with projects skewed toward cities and Java, contract values log-normal, and BPJS coverage
 * varying by regency. Pure: the same seed and regions give the same rows. The rows are produced one
 * project at a time, and again on each pass, so that a loader streams millions of them in flat memory.
 */
export interface NationalRegion {
  code: string;
  name: string;
  districts: readonly string[];
}

export interface NationalProject {
  id: number;
  regencyCode: string;
  districtCode: string;
  code: string;
  contractorIndex: number;
  workUnitIndex: number | null;
  fundingSource: "APBD" | "APBN" | "DAK" | "private";
  workType: WorkType;
  contractValue: number;
  spkDate: IsoDate;
  spmkDate: IsoDate;
  endDate: IsoDate;
  workers: number;
  registeredOn: IsoDate | null;
  paidOn: IsoDate | null;
}

export const WORK_UNIT_CODES = [
  "PUPR",
  "PERKIM",
  "DISDIKBUD",
  "DINKES",
  "DISPERTAN",
  "DISHUB",
  "BPBD",
] as const;
const TYPES: readonly WorkType[] = ["building", "road", "water", "other"];

/** Projects per regency: cities and Java weigh more; a log-normal factor gives each its own size. */
function regencyWeights(regions: readonly NationalRegion[], rnd: Random): number[] {
  return regions.map((r) => {
    const city = r.name.startsWith("KOTA") ? 2.5 : 1;
    const java = ["31", "32", "33", "34", "35", "36"].includes(r.code.slice(0, 2)) ? 2 : 1;
    return city * java * rnd.logNormal(1, 0.6);
  });
}

export interface NationalRegency {
  code: string;
  projects: number;
  /** Contractors of the regency (index → code `<regency>-K<index>`). */
  contractors: number;
}

export interface NationalPlan {
  regencies: NationalRegency[];
  /**
   * The projects in order, generated afresh on each call (the same every time), each with its share of
   * the workers. Nothing is held: a loader streams them as often as it needs, in constant memory.
   */
  projects(): Generator<NationalProject>;
}

export function planNational(
  regions: readonly NationalRegion[],
  opts: { projects: number; workers: number; seed: number },
): NationalPlan {
  const perRegency = apportion(opts.projects, regencyWeights(regions, new Random(opts.seed)), 1);
  const regencies = regions.map((r, i) => {
    const projects = perRegency[i] as number;
    return { code: r.code, projects, contractors: Math.max(3, Math.round(projects / 8)) };
  });
  const drafts = () => draftProjects(regions, regencies, opts.seed);
  // Workers follow each project's estimated workforce, scaled to the requested national total by
  // rounding the running sum, so the shares add up exactly without holding every project's weight.
  let totalWeight = 0;
  for (const p of drafts()) totalWeight += workforceOf(p);
  return {
    regencies,
    *projects() {
      let weight = 0;
      let given = 0;
      for (const p of drafts()) {
        weight += workforceOf(p);
        const due = totalWeight > 0 ? Math.round((weight * opts.workers) / totalWeight) : 0;
        yield { ...p, workers: due - given };
        given = due;
      }
    },
  };
}

const workforceOf = (p: NationalProject) =>
  estimateWorkforce({
    contractValue: p.contractValue,
    workType: p.workType,
    startDate: p.spmkDate,
    endDate: p.endDate,
  });

/** The projects without workers, from one random stream that starts after the regency weights. */
function* draftProjects(
  regions: readonly NationalRegion[],
  regencies: readonly NationalRegency[],
  seed: number,
): Generator<NationalProject> {
  const rnd = new Random(seed);
  regencyWeights(regions, rnd); // the draws the weights used, so projects continue the same stream
  let id = 0;
  for (const [ri, region] of regions.entries()) {
    const { projects: count, contractors } = regencies[ri] as NationalRegency;
    const coverage = 0.15 + rnd.float() * 0.65; // share of projects registered with BPJS here
    for (let i = 0; i < count; i++) {
      id += 1;
      const funding = rnd.weighted<NationalProject["fundingSource"]>([
        ["APBD", 55],
        ["DAK", 15],
        ["APBN", 10],
        ["private", 20],
      ]);
      const workType = rnd.pick(TYPES);
      const contractValue = Math.round(Math.min(25e9, Math.max(50e6, rnd.logNormal(8e8, 1.1))) / 1000) * 1000;
      const spkDate = addDays("2025-01-02", rnd.int(0, 300));
      const spmkDate = addDays(spkDate, rnd.int(0, 14));
      const endDate = minDate(
        addDays(spmkDate, Math.round(75 + 40 * Math.log10(contractValue / 5e7) + rnd.int(0, 60))),
        "2025-12-31",
      );
      const registered = rnd.chance(coverage);
      const registeredOn = registered ? addDays(spkDate, rnd.int(0, 30)) : null;
      const paidOn = registeredOn && rnd.chance(0.85) ? addDays(registeredOn, rnd.int(0, 20)) : null;
      yield {
        id,
        regencyCode: region.code,
        districtCode: rnd.pick(region.districts),
        code: `${region.code}/N/${String(i + 1).padStart(6, "0")}`,
        contractorIndex: Math.min(contractors - 1, Math.floor(rnd.float() ** 2 * contractors)),
        workUnitIndex: funding === "private" ? null : rnd.int(0, WORK_UNIT_CODES.length - 1),
        fundingSource: funding,
        workType,
        contractValue,
        spkDate,
        spmkDate,
        endDate: maxDate(endDate, spmkDate),
        workers: 0,
        registeredOn: registeredOn && registeredOn <= endDate ? registeredOn : null,
        paidOn: registeredOn && registeredOn <= endDate ? paidOn : null,
      };
    }
  }
}

/** Registration row values of a project (contribution computed by the domain from its table). */
export function registrationOf(
  p: NationalProject,
  tables: { forDate: (d: IsoDate) => RateTable },
  dueDays: number,
) {
  if (!p.registeredOn) return null;
  const c = contractValueContribution(p.contractValue, tables.forDate(p.spmkDate));
  return {
    number: registrationNumber(p.regencyCode, p.registeredOn, p.id),
    jkk: c.jkk,
    jkm: c.jkm,
    total: c.total,
    tableVersion: c.tableVersion,
    dueDate: addDays(p.registeredOn, dueDays),
  };
}

/**
 * The people of a project: person ids are consecutive from `firstPersonId`; a NIK is unique because
 * (birth date, serial) is derived one-to-one from the id, and issued in the project's sub-district.
 */
export function* workersOf(p: NationalProject, firstPersonId: number, rnd: Random) {
  const span = Math.max(0, daysBetween(p.spmkDate, p.endDate));
  for (let k = 0; k < p.workers; k++) {
    const personId = firstPersonId + k;
    const q = Math.floor(personId / 9999);
    const serial = (personId % 9999) + 1;
    const birthDate = addDays("1962-01-01", (q * 7919) % 16000);
    const sex: Sex = rnd.chance(0.06) ? "F" : "M";
    const nik = composeNik({ regionCode: p.districtCode, birthDate, sex, serial });
    const joinedOn = addDays(p.spmkDate, rnd.int(0, Math.min(30, span)));
    const leftOn = rnd.chance(0.2)
      ? addDays(joinedOn, rnd.int(0, Math.max(0, daysBetween(joinedOn, p.endDate))))
      : null;
    yield { personId, nik, birthDate, sex, joinedOn, leftOn };
  }
}
