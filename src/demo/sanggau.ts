import { DEFAULT_WORKFORCE_ESTIMATE, estimateWorkforce, type WorkType } from "../domain/coverage.js";
import { addDays, daysBetween, type IsoDate, minDate } from "../domain/dates.js";
import { composeNik, type Sex } from "../domain/nik.js";
import { DEFAULT_REGISTRATION_SETTINGS } from "../domain/registration.js";
import type { RawWorkerRow } from "../domain/worker-report.js";
import type { ProjectInput } from "../services/schemas.js";
import {
  COMPANY_FORMS,
  COMPANY_WORDS_1,
  COMPANY_WORDS_2,
  COMPANY_WORDS_3,
  FAMILY_NAMES,
  FEMALE_NAMES,
  MALE_NAMES,
  PROJECT_TEMPLATES,
} from "./names.js";
import { apportion, Random } from "./random.js";

/**
 * The Sanggau scenario (DESIGN.md §5), planned as pure data from a seed. The branch's figures for
 * 30 July 2025 are the scenario's inputs: 12,320 construction workers known to be working and 4,519
 * of them protected. The generator draws projects, contractors and their behaviour at random, then
 * apportions exactly that many working and protected people over the projects; the product's own
 * coverage query then counts them back from the rows (see test/demo).
 */
export const SANGGAU = {
  regencyCode: "61.03",
  snapshotDate: "2025-07-30",
  knownWorkers: 12_320,
  protectedWorkers: 4_519,
  target: {
    year: 2025,
    basisPoints: 5865,
    source: "Target Universal Coverage Jamsostek Kabupaten Sanggau 2025",
  },
  projectCount: 300,
  contractorCount: 60,
} as const;

/** District work units (OPD) with their share of APBD/DAK packages, and national agencies for APBN. */
const DISTRICT_UNITS = [
  {
    code: "PUPR",
    name: "Dinas Pekerjaan Umum dan Penataan Ruang",
    types: ["road", "water", "building"],
    share: 35,
  },
  {
    code: "PERKIM",
    name: "Dinas Perumahan Rakyat dan Kawasan Permukiman",
    types: ["building", "water"],
    share: 15,
  },
  { code: "DISDIKBUD", name: "Dinas Pendidikan dan Kebudayaan", types: ["building"], share: 15 },
  { code: "DINKES", name: "Dinas Kesehatan", types: ["building"], share: 10 },
  { code: "DISPERTAN", name: "Dinas Pertanian dan Perkebunan", types: ["water", "road"], share: 8 },
  { code: "DISHUB", name: "Dinas Perhubungan", types: ["road", "building"], share: 7 },
  { code: "BPBD", name: "Badan Penanggulangan Bencana Daerah", types: ["water", "road"], share: 10 },
] as const;
const NATIONAL_UNITS = [
  {
    code: "BPJN-KALBAR",
    name: "Balai Pelaksanaan Jalan Nasional Kalimantan Barat",
    types: ["road"],
    share: 60,
  },
  { code: "BWS-KAL1", name: "Balai Wilayah Sungai Kalimantan I", types: ["water"], share: 40 },
] as const;
export const WORK_UNITS = [...DISTRICT_UNITS, ...NATIONAL_UNITS];

/** How a contractor behaves: drives whether its projects register, pay and report. */
export type ContractorProfile = "compliant" | "late" | "evader" | "under_reporter";

/** What a project's BPJS status is on the snapshot date (for projects working on that date). */
export type ProjectCategory =
  | "paid" // registered before work started, paid
  | "late_paid" // registered after work started, paid
  | "grace" // registered recently, not paid yet, inside the payment period
  | "arrears" // registered, due date passed, unpaid
  | "unregistered" // working with reported workers, never registered
  | "unreported"; // working, no worker ever reported

const PROTECTING: readonly ProjectCategory[] = ["paid", "late_paid", "grace"];

export interface PlannedProject {
  input: ProjectInput;
  category: ProjectCategory | "finished" | "upcoming";
  registeredOn: IsoDate | null;
  /** Payment in full of the contribution the product computes at registration, if any. */
  payment: { paidOn: IsoDate; reference: string } | null;
  /**
   * A transfer the contractor has reported and the branch has not yet confirmed (it does not count):
   * what a branch officer finds in the confirmation queue on the snapshot date.
   */
  claim?: { paidOn: IsoDate; reference: string };
  /**
   * The day the contractor filed the project's registration, still waiting for the branch's verification
   * (it does not count): what a branch officer finds in the verification queue on the snapshot date.
   */
  filedOn?: IsoDate;
  /** Join and leave events in date order (one batch, as a contractor would send them). */
  reports: RawWorkerRow[];
}

export interface DemoPlan {
  workUnits: { code: string; name: string }[];
  contractors: { nib: string; name: string; profile: ContractorProfile }[];
  projects: PlannedProject[];
}

interface Person {
  nik: string;
  name: string;
  birthDate: IsoDate;
  sex: Sex;
  /** Last day of their latest stint, when they left it. */
  freeFrom: IsoDate | null;
}

const YEAR_END = "2025-12-31";

export function planSanggauDemo(
  seed: number,
  regions: { sanggauDistricts: readonly { code: string; name: string }[]; otherDistricts: readonly string[] },
): DemoPlan {
  const rnd = new Random(seed);
  const D = SANGGAU.snapshotDate;
  const people = new PeopleFactory(rnd, regions);

  const contractors = Array.from({ length: SANGGAU.contractorCount }, (_, i) => ({
    nib: `91200${String(3710000 + i * 7919).padStart(8, "0")}`,
    name: `${rnd.pick(COMPANY_FORMS)} ${rnd.pick(COMPANY_WORDS_1)} ${rnd.pick(COMPANY_WORDS_2)} ${rnd.pick(COMPANY_WORDS_3)}`,
    profile: rnd.weighted<ContractorProfile>([
      ["compliant", 30],
      ["late", 25],
      ["evader", 35],
      ["under_reporter", 10],
    ]),
  }));
  // Popular contractors win many packages: weight ~ 1/rank.
  const contractorWeights = contractors.map((c, i) => [c, 1 / (1 + i * 0.15)] as const);

  const drafts = Array.from({ length: SANGGAU.projectCount }, (_, i) => {
    const funding = rnd.weighted<ProjectInput["fundingSource"]>([
      ["APBD", 55],
      ["DAK", 15],
      ["APBN", 10],
      ["private", 20],
    ]);
    const units = funding === "private" ? [] : funding === "APBN" ? NATIONAL_UNITS : DISTRICT_UNITS;
    const unit = units.length === 0 ? null : rnd.weighted(units.map((u) => [u, u.share] as const));
    const workType: WorkType = unit
      ? rnd.pick(unit.types)
      : rnd.weighted([
          ["other", 60],
          ["building", 40],
        ]);
    const median = funding === "private" ? 1.5e9 : funding === "APBN" ? 2.5e9 : 7e8;
    const contractValue =
      Math.round(Math.min(25e9, Math.max(50e6, rnd.logNormal(median, 1.0))) / 1000) * 1000;
    // APBD cycle: most contracts are signed March–June.
    const month = rnd.weighted([
      [1, 4],
      [2, 6],
      [3, 14],
      [4, 16],
      [5, 16],
      [6, 14],
      [7, 12],
      [8, 10],
      [9, 6],
      [10, 2],
    ]);
    const spkDate = addDays(`2025-${String(month).padStart(2, "0")}-01`, rnd.int(0, 27));
    const spmkDate = addDays(spkDate, rnd.int(0, 14));
    const duration = Math.round(75 + 40 * Math.log10(contractValue / 5e7) + rnd.int(0, 60));
    const endDate =
      funding === "private" ? addDays(spmkDate, duration) : minDate(addDays(spmkDate, duration), YEAR_END);
    const district = rnd.pick(regions.sanggauDistricts);
    const contractor = rnd.weighted(contractorWeights);
    const name = rnd.pick(PROJECT_TEMPLATES[workType]).replace("{place}", district.name);
    const input: ProjectInput = {
      code: `${SANGGAU.regencyCode}/${unit?.code ?? "SWASTA"}/2025/${String(i + 1).padStart(4, "0")}`,
      name,
      districtCode: district.code,
      workUnitCode: unit?.code ?? null,
      contractorNib: contractor.nib,
      contractorName: contractor.name,
      fundingSource: funding,
      workType,
      contractValue,
      spkDate,
      spmkDate,
      endDate,
    };
    const estimate = estimateWorkforce(
      { contractValue, workType, startDate: spmkDate, endDate },
      DEFAULT_WORKFORCE_ESTIMATE,
    );
    return { input, profile: contractor.profile, estimate };
  });

  const projects: PlannedProject[] = [];
  const active: { project: PlannedProject; weight: number }[] = [];
  for (const d of drafts) {
    const { input } = d;
    if (input.endDate < D) projects.push(finishedProject(d.input, d.estimate, rnd, people));
    else if (input.spmkDate > D) projects.push(upcomingProject(d.input, d.estimate, rnd, people));
    else {
      let category = categoryFor(d.profile, rnd);
      // Arrears need a due date before the snapshot; a contract signed too late cannot be in arrears yet.
      if (category === "arrears" && input.spkDate > addDays(D, -DEFAULT_DUE_DAYS - 1))
        category = "unregistered";
      const project = workingProject(input, category, rnd);
      projects.push(project);
      if (category !== "unreported") {
        const factor = d.profile === "under_reporter" ? 0.15 + rnd.float() * 0.2 : 0.7 + rnd.float() * 0.8;
        active.push({ project, weight: d.estimate * factor });
      }
    }
  }

  // Apportion the branch's figures: protected people over protecting projects, the rest elsewhere.
  const protecting = active.filter((a) => PROTECTING.includes(a.project.category as ProjectCategory));
  const others = active.filter((a) => !PROTECTING.includes(a.project.category as ProjectCategory));
  const crews = new Map<PlannedProject, Person[]>();
  const staff = (group: typeof active, total: number) => {
    const sizes = apportion(
      total,
      group.map((g) => g.weight),
    );
    group.forEach((g, i) => {
      const crew = people.crew(sizes[i] as number);
      crews.set(g.project, crew);
      g.project.reports.push(...crewEvents(crew, g.project.input, rnd));
    });
  };
  staff(protecting, SANGGAU.protectedWorkers);
  staff(others, SANGGAU.knownWorkers - SANGGAU.protectedWorkers);

  // Moonlighters: people on a protecting project also reported on an unprotected one. They count once.
  for (let i = 0; i < 40 && others.length > 0 && protecting.length > 0; i++) {
    const from = crews.get(rnd.pick(protecting).project) ?? [];
    const to = rnd.pick(others).project;
    const person = rnd.pick(from);
    if (to.reports.some((r) => r.nik === person.nik)) continue;
    to.reports.push(joinRow(person, dateBetween(rnd, to.input.spmkDate, D)));
  }
  for (const p of projects)
    p.reports.sort((a, b) => String(a.date).localeCompare(String(b.date)) || eventOrder(a) - eventOrder(b));

  return { workUnits: WORK_UNITS.map(({ code, name }) => ({ code, name })), contractors, projects };
}

const eventOrder = (r: RawWorkerRow) => (r.event === "join" ? 0 : 1);

function categoryFor(profile: ContractorProfile, rnd: Random): ProjectCategory {
  switch (profile) {
    case "compliant":
      return rnd.weighted([
        ["paid", 80],
        ["late_paid", 10],
        ["grace", 10],
      ]);
    case "late":
      return rnd.weighted([
        ["late_paid", 35],
        ["arrears", 45],
        ["grace", 20],
      ]);
    case "evader":
      return rnd.weighted([
        ["unregistered", 70],
        ["unreported", 20],
        ["arrears", 10],
      ]);
    case "under_reporter":
      return rnd.weighted([
        ["paid", 60],
        ["unreported", 40],
      ]);
  }
}

/** Registration and payments of a project working on the snapshot date, per its category. */
function workingProject(input: ProjectInput, category: ProjectCategory, rnd: Random): PlannedProject {
  const D = SANGGAU.snapshotDate;
  const project: PlannedProject = { input, category, registeredOn: null, payment: null, reports: [] };
  const due = DEFAULT_DUE_DAYS;
  switch (category) {
    case "paid":
      project.registeredOn = dateBetween(rnd, input.spkDate, minDate(input.spmkDate, D));
      break;
    case "late_paid":
    case "arrears":
      // Registered after work started, early enough that the due date passed before the snapshot.
      project.registeredOn = lateRegistration(input, rnd, due);
      break;
    case "grace":
      project.registeredOn = dateBetween(rnd, maxOf(input.spkDate, addDays(D, -due + 1)), D);
      // Paid the day after registering, not yet confirmed (no draw, so the rest of the plan stays as it was).
      project.claim = {
        paidOn: minDate(addDays(project.registeredOn, 1), D),
        reference: `TRF-${input.code.replaceAll("/", "")}`,
      };
      break;
    case "unregistered":
      // Work began in the last fortnight and the contractor has filed, on the snapshot date; the branch
      // has not verified it yet (no draw, so the rest of the plan stays as it was).
      if (input.spmkDate >= addDays(D, -14)) project.filedOn = D;
      break;
    case "unreported":
      if (rnd.chance(0.5)) project.registeredOn = dateBetween(rnd, input.spkDate, minDate(input.spmkDate, D));
      break;
  }
  if (
    project.registeredOn &&
    (category === "paid" || category === "late_paid" || (category === "unreported" && rnd.chance(0.5)))
  ) {
    const paidOn = dateBetween(rnd, project.registeredOn, minDate(addDays(project.registeredOn, due), D));
    project.payment = { paidOn, reference: paymentReference(input) };
  }
  return project;
}

/** The demo pays within the default due period of DEFAULT_REGISTRATION_SETTINGS. */
const DEFAULT_DUE_DAYS = DEFAULT_REGISTRATION_SETTINGS.paymentDueDays;

const paymentReference = (input: ProjectInput) => `BPJS-${input.code.replaceAll("/", "")}-1`;

/** A date after SPMK whose due date passed before the snapshot, else the latest such date from SPK. */
function lateRegistration(input: ProjectInput, rnd: Random, dueDays: number): IsoDate {
  const latest = addDays(SANGGAU.snapshotDate, -dueDays - 1);
  const earliest = addDays(input.spmkDate, 1);
  return earliest <= latest
    ? dateBetween(rnd, earliest, latest)
    : maxOf(input.spkDate, minDate(input.spmkDate, latest));
}

const maxOf = (a: IsoDate, b: IsoDate) => (a > b ? a : b);

function dateBetween(rnd: Random, from: IsoDate, to: IsoDate): IsoDate {
  const span = daysBetween(from, to);
  return span <= 0 ? from : addDays(from, rnd.int(0, span));
}

/** A project that ended before the snapshot: registered and paid, its crew all gone. */
function finishedProject(
  input: ProjectInput,
  estimate: number,
  rnd: Random,
  people: PeopleFactory,
): PlannedProject {
  const registeredOn = dateBetween(rnd, input.spkDate, input.spmkDate);
  const crew = people.crew(Math.max(1, Math.round(estimate * (0.5 + rnd.float()))), { fresh: true });
  const reports: RawWorkerRow[] = [];
  for (const person of crew) {
    const joined = dateBetween(rnd, input.spmkDate, minDate(addDays(input.spmkDate, 20), input.endDate));
    const left = dateBetween(rnd, joined, input.endDate);
    reports.push(joinRow(person, joined), leaveRow(person, left));
    people.release(person, left);
  }
  return {
    input,
    category: "finished",
    registeredOn,
    payment: {
      paidOn: dateBetween(rnd, registeredOn, minDate(addDays(registeredOn, 20), input.endDate)),
      reference: paymentReference(input),
    },
    reports,
  };
}

/** A project that starts after the snapshot: its crew joins later and does not count on the date. */
function upcomingProject(
  input: ProjectInput,
  estimate: number,
  rnd: Random,
  people: PeopleFactory,
): PlannedProject {
  const registered = rnd.chance(0.6);
  const registeredOn = registered ? dateBetween(rnd, input.spkDate, input.spmkDate) : null;
  const reports = rnd.chance(0.7)
    ? people
        .crew(Math.max(1, Math.round(estimate * (0.5 + rnd.float() * 0.5))), { fresh: true })
        .map((p) =>
          joinRow(p, dateBetween(rnd, input.spmkDate, minDate(addDays(input.spmkDate, 30), input.endDate))),
        )
    : [];
  return { input, category: "upcoming", registeredOn, payment: null, reports };
}

/** Join (and for some, leave after the snapshot) events of a crew working on the snapshot date. */
function crewEvents(crew: readonly Person[], input: ProjectInput, rnd: Random): RawWorkerRow[] {
  const D = SANGGAU.snapshotDate;
  const rows: RawWorkerRow[] = [];
  for (const person of crew) {
    const earliest = person.freeFrom ? maxOf(input.spmkDate, addDays(person.freeFrom, 1)) : input.spmkDate;
    rows.push(joinRow(person, dateBetween(rnd, earliest, D)));
    if (input.endDate > D && rnd.chance(0.15))
      rows.push(leaveRow(person, dateBetween(rnd, addDays(D, 1), input.endDate)));
  }
  return rows;
}

function joinRow(p: Person, date: IsoDate): RawWorkerRow {
  return { event: "join", nik: p.nik, name: p.name, birthDate: p.birthDate, sex: p.sex, date };
}

function leaveRow(p: Person, date: IsoDate): RawWorkerRow {
  return { event: "leave", nik: p.nik, date };
}

/** Makes people with valid, unique NIKs, and reuses some who left earlier projects. */
class PeopleFactory {
  private readonly used = new Set<string>();
  private readonly released: Person[] = [];

  constructor(
    private readonly rnd: Random,
    private readonly regions: {
      sanggauDistricts: readonly { code: string }[];
      otherDistricts: readonly string[];
    },
  ) {}

  /** `size` people; unless `fresh`, some are workers released from stints that ended well before the snapshot. */
  crew(size: number, opts: { fresh?: boolean } = {}): Person[] {
    const crew: Person[] = [];
    const reusable = opts.fresh
      ? []
      : this.released.filter((p) => p.freeFrom !== null && p.freeFrom < addDays(SANGGAU.snapshotDate, -7));
    for (let i = 0; i < size; i++) {
      if (reusable.length > 0 && this.rnd.chance(0.15)) {
        const person = reusable.splice(this.rnd.int(0, reusable.length - 1), 1)[0] as Person;
        this.released.splice(this.released.indexOf(person), 1);
        crew.push(person);
      } else crew.push(this.make());
    }
    return crew;
  }

  release(person: Person, leftOn: IsoDate): void {
    person.freeFrom = leftOn;
    this.released.push(person);
  }

  private make(): Person {
    const sex: Sex = this.rnd.chance(0.06) ? "F" : "M";
    const regionCode = this.rnd.chance(0.8)
      ? this.rnd.pick(this.regions.sanggauDistricts).code
      : this.rnd.pick(this.regions.otherDistricts);
    const birthDate = addDays("1965-01-01", this.rnd.int(0, daysBetween("1965-01-01", "2006-12-31")));
    for (;;) {
      const nik = composeNik({ regionCode, birthDate, sex, serial: this.rnd.int(1, 9999) });
      if (this.used.has(nik)) continue;
      this.used.add(nik);
      const first = this.rnd.pick(sex === "M" ? MALE_NAMES : FEMALE_NAMES);
      const family = this.rnd.pick(FAMILY_NAMES);
      return { nik, name: family ? `${first} ${family}` : first, birthDate, sex, freeFrom: null };
    }
  }
}
