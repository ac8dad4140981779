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
 * project at a time so that a loader can stream millions of them.
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

export interface NationalPlan {
  projects: NationalProject[];
  /** Contractors per regency (index → code `<regency>-K<index>`). */
  contractorsPerRegency: Map<string, number>;
}

export function planNational(
  regions: readonly NationalRegion[],
  opts: { projects: number; workers: number; seed: number },
): NationalPlan {
  const rnd = new Random(opts.seed);
  const perRegency = apportion(opts.projects, regencyWeights(regions, rnd), 1);
  const projects: NationalProject[] = [];
  const contractorsPerRegency = new Map<string, number>();
  let id = 0;
  for (const [ri, region] of regions.entries()) {
    const count = perRegency[ri] as number;
    const contractors = Math.max(3, Math.round(count / 8));
    contractorsPerRegency.set(region.code, contractors);
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
      projects.push({
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
      });
    }
  }
  // Workers follow each project's estimated workforce, scaled to the requested national total.
  const sizes = apportion(
    opts.workers,
    projects.map((p) =>
      estimateWorkforce({
        contractValue: p.contractValue,
        workType: p.workType,
        startDate: p.spmkDate,
        endDate: p.endDate,
      }),
    ),
    0,
  );
  projects.forEach((p, i) => {
    p.workers = sizes[i] as number;
  });
  return { projects, contractorsPerRegency };
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
