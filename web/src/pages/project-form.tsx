import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { WORK_TYPES } from "../../../src/domain/coverage.js";
import { formatNumber } from "../../../src/domain/format.js";
import { parseRupiah } from "../../../src/domain/rupiah.js";
import type { listOrganisations } from "../../../src/services/organisations.js";
import type { RegionMatch, regionTree } from "../../../src/services/regions.js";
import type { ProjectEdit, ProjectInput } from "../../../src/services/schemas.js";
import { ApiError, api, fieldSayings, qs } from "../api.js";
import { BusyButton } from "../components/busy-button.js";
import { Field } from "../components/field.js";
import { ErrorBox, QueryView } from "../components/states.js";
import { type Saying, saying, useFieldErrors } from "../field-errors.js";
import { RequireRole } from "../guard.js";
import { addPageStrings, useFormat } from "../i18n.js";
import type { ProjectDetail } from "../projects.js";
import { type Me, mayRegisterProject } from "../session.js";

addPageStrings("newProject", {
  id: {
    title: "Daftarkan proyek baru",
    intro:
      "Data paket dari pengadaan: kontrak, SPK dan SPMK. Setelah tercatat, proyek didaftarkan ke BPJS Ketenagakerjaan dari halamannya, sebelum pekerjaan dimulai (SPMK).",
    whose: {
      contractor: "Proyek dicatat atas nama perusahaan Anda.",
      opd: "Paket dicatat sebagai milik OPD Anda.",
      bpjs: "Proyek di wilayah yang Anda awasi ({{region}}).",
      admin: "Proyek di kabupaten/kota mana pun.",
    },
    package: "Paket pekerjaan",
    code: "Kode paket",
    codeHint:
      "Kode paket pengadaan, mis. 61.03/PUPR/2025/0301. Satu kode hanya dipakai sekali di satu kabupaten/kota.",
    districtLabel: "Kecamatan",
    districtHint: "Nama atau kode Kemendagri kecamatan lokasi pekerjaan, mis. {{example}}{{where}}.",
    districtKnown: "Kecamatan {{name}}, {{place}}.",
    inRegion: ", di wilayah {{region}}",
    inRegency: ", di kabupaten/kota {{regency}}",
    districtInvalid:
      "Pilih nama kecamatan dari daftar, atau tulis kodenya: tiga pasang angka, mis. 61.03.01.",
    districtUnknown: "Tidak ada kecamatan dengan kode {{code}}.",
    outsideRegion: "Kecamatan {{code}} di luar wilayah yang Anda awasi ({{region}}).",
    outsideUnit: "Kecamatan {{code}} di luar kabupaten/kota OPD Anda ({{regency}}).",
    workUnitCode: "Kode OPD pemilik paket",
    workUnitHint:
      "Boleh kosong untuk proyek swasta. Kode OPD seperti pada data pengadaan, mis. PUPR; OPD itu harus sudah dikenal di kabupaten/kota proyek.",
    workUnitHintOfficer: "Boleh kosong untuk proyek swasta. Pilih kode dari daftar OPD yang dikenal.",
    workUnitKnown: "OPD: {{name}}.",
    workUnitNew: "Kode {{code}} belum dikenal: OPD baru akan ditambahkan dengan nama sama dengan kodenya.",
    workUnitUnknown: "Tidak ada OPD dengan kode {{code}} di kabupaten/kota {{regency}}.",
    yourUnit: "OPD pemilik paket: {{name}} ({{code}}), OPD Anda.",
    choose: "Pilih…",
    contractor: "Penyedia jasa",
    nib: "NIB penyedia jasa",
    nibHint:
      "Nomor Induk Berusaha. Penyedia jasa yang sudah dikenal tetap memakai nama yang tercatat untuk NIB itu.",
    nibInvalid: "NIB terdiri dari 13 angka.",
    contractorName: "Nama penyedia jasa",
    yourCompany: "{{name}} (NIB {{code}}), perusahaan Anda.",
    noOrganisation: "Akun Anda tidak terikat pada organisasi, jadi tidak dapat mendaftarkan proyek.",
    contract: "Kontrak",
    value: "Nilai kontrak (Rp)",
    valueHint: "Iuran JKK dan JKM dihitung dari nilai ini saat proyek didaftarkan ke BPJS Ketenagakerjaan.",
    valueReadAs: "Dibaca sebagai {{amount}}.",
    valueInvalid: "Tulis nilai kontrak dalam rupiah tanpa sen, mis. 1.250.000.000.",
    spk: "Tanggal SPK",
    spkHint: "Surat Perintah Kerja: proyek didaftarkan ke BPJS paling lambat 14 hari kerja setelahnya.",
    spmk: "Tanggal SPMK (mulai kerja)",
    end: "Tanggal selesai",
    spmkBeforeSpk: "SPMK tidak boleh sebelum SPK ({{date}}).",
    endBeforeSpmk: "Tanggal selesai tidak boleh sebelum SPMK ({{date}}).",
    required: "Wajib diisi.",
    chooseOne: "Pilih salah satu.",
    exists:
      "Kode {{code}} sudah dipakai proyek lain di kabupaten/kota ini. Periksa kode paketnya: proyek yang sudah tercatat tidak didaftarkan lagi.",
    submit: "Daftarkan proyek",
    cancel: "Batal",
    editTitle: "Perbaiki data proyek",
    editIntro:
      "Data pengadaan dapat diperbaiki selama proyek belum terdaftar di BPJS Ketenagakerjaan dan tidak ada pendaftaran yang menunggu verifikasi. Kode paket dan penyedia jasa tetap.",
    codeFixed: "Kode paket: {{code}}.",
    contractorFixed: "{{name}}: penyedia jasa tetap.",
    editClosed: {
      registered:
        "Proyek ini sudah terdaftar di BPJS Ketenagakerjaan ({{registrationNo}}): datanya tidak diubah lagi.",
      pending:
        "Pendaftaran proyek ini menunggu verifikasi BPJS cabang: data proyek dapat diperbaiki setelah diputuskan.",
    },
    outsideProject: "Kecamatan {{code}} di luar kabupaten/kota proyek ({{regency}}).",
    save: "Simpan perbaikan",
    back: "Kembali ke proyek",
  },
  en: {
    title: "Register a new project",
    intro:
      "The package's procurement data: contract, work order (SPK) and order to start work (SPMK). Once recorded, the project is registered with BPJS Ketenagakerjaan from its page, before work starts (SPMK).",
    whose: {
      contractor: "The project is recorded under your company.",
      opd: "The package is recorded as your work unit's.",
      bpjs: "A project in the region you oversee ({{region}}).",
      admin: "A project in any regency or city.",
    },
    package: "Work package",
    code: "Package code",
    codeHint:
      "The procurement package code, e.g. 61.03/PUPR/2025/0301. A code is used once in a regency or city.",
    districtLabel: "Sub-district (kecamatan)",
    districtHint: "Name or Kemendagri code of the sub-district where the work is, e.g. {{example}}{{where}}.",
    districtKnown: "{{name}} sub-district, {{place}}.",
    inRegion: ", in region {{region}}",
    inRegency: ", in regency {{regency}}",
    districtInvalid:
      "Choose the sub-district's name from the list, or write its code: three pairs of digits, e.g. 61.03.01.",
    districtUnknown: "There is no sub-district with code {{code}}.",
    outsideRegion: "Sub-district {{code}} is outside the region you oversee ({{region}}).",
    outsideUnit: "Sub-district {{code}} is outside your work unit's regency ({{regency}}).",
    workUnitCode: "Code of the work unit that owns the package",
    workUnitHint:
      "May be empty for a private project. The work unit's code as in the procurement data, e.g. PUPR; that work unit must already be known in the project's regency.",
    workUnitHintOfficer: "May be empty for a private project. Choose a code from the known work units.",
    workUnitKnown: "Work unit: {{name}}.",
    workUnitNew: "Code {{code}} is not known yet: a new work unit will be added, named by its code.",
    workUnitUnknown: "There is no work unit with code {{code}} in regency {{regency}}.",
    yourUnit: "Work unit owning the package: {{name}} ({{code}}), your work unit.",
    choose: "Choose…",
    contractor: "Contractor",
    nib: "Contractor's NIB",
    nibHint:
      "The business identification number (NIB). A known contractor keeps the name recorded for its NIB.",
    nibInvalid: "An NIB has 13 digits.",
    contractorName: "Contractor's name",
    yourCompany: "{{name}} (NIB {{code}}), your company.",
    noOrganisation: "Your account belongs to no organisation, so it cannot register projects.",
    contract: "Contract",
    value: "Contract value (Rp)",
    valueHint:
      "The JKK and JKM contribution is computed from this value when the project is registered with BPJS Ketenagakerjaan.",
    valueReadAs: "Read as {{amount}}.",
    valueInvalid: "Type the contract value in whole rupiah, e.g. 1,250,000,000.",
    spk: "Work order date (SPK)",
    spkHint: "The project is registered with BPJS within 14 working days after it.",
    spmk: "Start of work (SPMK)",
    end: "End date",
    spmkBeforeSpk: "The SPMK may not be before the SPK ({{date}}).",
    endBeforeSpmk: "The end date may not be before the SPMK ({{date}}).",
    required: "Required.",
    chooseOne: "Choose one.",
    exists:
      "Code {{code}} is already used by another project in this regency. Check the package code: a project already recorded is not registered again.",
    submit: "Register the project",
    cancel: "Cancel",
    editTitle: "Correct the project's data",
    editIntro:
      "Procurement data can be corrected while the project is not registered with BPJS Ketenagakerjaan and no registration awaits verification. The package code and the contractor stay.",
    codeFixed: "Package code: {{code}}.",
    contractorFixed: "{{name}}: the contractor stays.",
    editClosed: {
      registered:
        "This project is registered with BPJS Ketenagakerjaan ({{registrationNo}}): its data is no longer changed.",
      pending:
        "This project's registration awaits the BPJS branch's verification: its data can be corrected once it is decided.",
    },
    outsideProject: "Sub-district {{code}} is outside the project's regency ({{regency}}).",
    save: "Save the correction",
    back: "Back to the project",
  },
});

type Organisation = Awaited<ReturnType<typeof listOrganisations>>[number];
type RegionTree = Awaited<ReturnType<typeof regionTree>>;
type FundingSource = ProjectInput["fundingSource"];
/** The API's funding sources (FUNDING_SOURCES in src/services/schemas.ts, which this chunk does not load). */
const FUNDING = ["APBD", "APBN", "DAK", "private"] as const satisfies readonly FundingSource[];

/** The body's fields in the order the form asks for them: the first at fault gets focus. */
const FIELDS = [
  "code",
  "name",
  "districtCode",
  "workUnitCode",
  "fundingSource",
  "workType",
  "contractorNib",
  "contractorName",
  "contractValue",
  "spkDate",
  "spmkDate",
  "endDate",
] as const satisfies readonly (keyof ProjectInput)[];
type FieldName = (typeof FIELDS)[number];
type Errors = Partial<Record<FieldName, Saying>>;
/** A message that names a date, the date written in the language the message is shown in. */
const sayDate =
  (key: string, day: string): Saying =>
  ({ t, date }) =>
    t(key, { date: date(day) });
const isField = (k: string): k is FieldName => (FIELDS as readonly string[]).includes(k);

const DISTRICT = /^\d{2}\.\d{2}\.\d{2}$/;
const REGENCY = /^\d{2}\.\d{2}$/;

/** A sub-district the field offers: its code and name, and where it lies ("Kabupaten Sanggau, Kalimantan Barat"). */
interface District {
  code: string;
  name: string;
  place: string;
}

/** The sub-district a typed text names: by its code, or by its name when one offered has it ("balai"). */
function districtNamed(text: string, districts: readonly District[]) {
  const typed = text.trim().toLowerCase();
  const byName = districts.filter((d) => d.name.toLowerCase() === typed);
  return districts.find((d) => d.code === typed) ?? (byName.length === 1 ? byName[0] : undefined);
}

/**
 * The sub-districts the field offers, so that people write the name they know rather than a Kemendagri
 * code: those of the regency the project must stay in (`fixed`), else of the regency a typed code begins
 * with (kept while a name is typed after it), else those anywhere whose name holds the letters typed.
 */
function useDistricts(fixed: string | null, text: string) {
  const typed = text.trim();
  const [typedRegency, setTypedRegency] = useState<string | null>(null);
  const fromCode = /^\d{2}\.\d{2}/.exec(typed)?.[0];
  if (fromCode && fromCode !== typedRegency) setTypedRegency(fromCode);
  const listed = fixed ?? fromCode ?? typedRegency;
  const byName = fixed === null && !fromCode && /\p{L}.*\p{L}/u.test(typed);
  const regency = useQuery({
    queryKey: ["region", listed],
    queryFn: () => api<RegionTree>(`/api/v1/regions/${listed}`),
    enabled: listed !== null && !byName,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const found = useQuery({
    queryKey: ["regions", "district", typed.toLowerCase()],
    queryFn: () => api<RegionMatch[]>(`/api/v1/regions${qs({ q: typed, level: "district" })}`),
    enabled: byName,
    placeholderData: keepPreviousData,
  });
  const tree = regency.data;
  const districts: District[] = byName
    ? (found.data ?? []).map((d) => ({ code: d.code, name: d.name, place: d.within }))
    : tree && tree.code === listed
      ? tree.children.map((d) => ({
          code: d.code,
          name: d.name,
          place: [tree.name, ...tree.parents.map((p) => p.name).reverse()].join(", "),
        }))
      : [];
  return {
    /** Each offered by its code, named (and placed, when found by name) beside it. */
    suggestions: districts.map((d) => ({ value: d.code, label: byName ? `${d.name} — ${d.place}` : d.name })),
    district: districtNamed(typed, districts),
  };
}

/** The answer of POST /api/v1/projects. */
interface Created {
  id: number;
  code: string;
  regencyCode: string;
}

/**
 * Register a new project from its procurement data (DESIGN §1: contractors and work units register
 * projects; the branch and the admin too). The server decides whose it may be: a contractor's own, a
 * work unit's own packages, the branch's region; the form fills in and locks what the role implies.
 */
export default function NewProjectPage() {
  return (
    <RequireRole page="projects">
      {(me) => (mayRegisterProject(me.role) ? <NewProject me={me} /> : <Forbidden />)}
    </RequireRole>
  );
}

/** Correct a project's procurement data while it is not (being) registered: the same form, filled in. */
export function EditProjectPage() {
  return (
    <RequireRole page="projects">
      {(me) => (mayRegisterProject(me.role) ? <EditProject me={me} /> : <Forbidden />)}
    </RequireRole>
  );
}

function Forbidden() {
  const { t } = useFormat();
  return (
    <p className="error" role="alert">
      {t("state.forbidden")}
    </p>
  );
}

function NewProject({ me }: { me: Me }) {
  const { t } = useFormat();
  return (
    <section>
      <p>
        <Link to="/proyek">← {t("projects.title")}</Link>
      </p>
      <h1 id="project-form">{t("newProject.title")}</h1>
      <p className="muted narrow">
        {t("newProject.intro")} {t(`newProject.whose.${me.role}`, { region: me.regionCode ?? "–" })}
      </p>
      <WithOrganisations me={me}>
        {(own, workUnits) => <ProjectForm me={me} own={own} workUnits={workUnits} />}
      </WithOrganisations>
    </section>
  );
}

function EditProject({ me }: { me: Me }) {
  const { t } = useFormat();
  const { id } = useParams();
  const project = useQuery({
    queryKey: ["project", id],
    queryFn: () => api<ProjectDetail>(`/api/v1/projects/${id}`),
  });
  return (
    <section>
      <p>
        <Link to={`/proyek/${id}`}>← {t("newProject.back")}</Link>
      </p>
      <h1 id="project-form">{t("newProject.editTitle")}</h1>
      <p className="muted narrow">{t("newProject.editIntro")}</p>
      <QueryView query={project}>
        {(p) => {
          const c = p.certificate;
          // The server refuses these too (src/services/projects.ts editProject); said before typing.
          if (c.registrationNo)
            return (
              <p className="notice">
                {t("newProject.editClosed.registered", { registrationNo: c.registrationNo })}
              </p>
            );
          if (c.registrationClaim?.status === "pending")
            return <p className="notice">{t("newProject.editClosed.pending")}</p>;
          return (
            <WithOrganisations me={me}>
              {(own, workUnits) => <ProjectForm me={me} own={own} workUnits={workUnits} editing={p} />}
            </WithOrganisations>
          );
        }}
      </QueryView>
    </section>
  );
}

/**
 * A contractor files under its own company, a work unit its own packages: the list names the user's own
 * organisation. For the branch and an admin, it is the work units they may pick from.
 */
function WithOrganisations({
  me,
  children,
}: {
  me: Me;
  children: (own: Organisation | null, workUnits: readonly Organisation[]) => ReactNode;
}) {
  const { t } = useFormat();
  const kind = me.role === "contractor" ? "contractor" : "work_unit";
  const organisations = useQuery({
    queryKey: ["organisations", kind],
    queryFn: () => api<Organisation[]>(`/api/v1/organisations?kind=${kind}`),
  });
  return (
    <QueryView query={organisations}>
      {(rows) => {
        const own = rows.find((o) => o.id === me.organisationId) ?? null;
        const locks = me.role === "contractor" || me.role === "opd";
        if (locks && !own)
          return (
            <p className="error" role="alert">
              {t("newProject.noOrganisation")}
            </p>
          );
        return children(locks ? own : null, locks ? [] : rows);
      }}
    </QueryView>
  );
}

function ProjectForm({
  me,
  own,
  workUnits,
  editing,
}: {
  me: Me;
  /** The contractor's company or the work unit the user acts for, which the project must name. */
  own: Organisation | null;
  /** The work units the branch or an admin may choose from (suggestions: the API takes a new code). */
  workUnits: readonly Organisation[];
  /** The project whose data is corrected; its code and contractor stay. */
  editing?: ProjectDetail;
}) {
  const { t, rp, lang } = useFormat();
  const client = useQueryClient();
  const navigate = useNavigate();
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useFieldErrors<FieldName>();
  const [valueText, setValueText] = useState(editing ? formatNumber(editing.contractValue, lang) : "");
  // The value follows a change of language in its grouping (1.383.896.000 ↔ 1,383,896,000), since it is
  // read in the language shown.
  const valueLang = useRef(lang);
  useEffect(() => {
    if (valueLang.current === lang) return;
    const n = parseRupiah(valueText, valueLang.current);
    valueLang.current = lang;
    if (n !== null) setValueText(formatNumber(n, lang));
  }, [lang, valueText]);
  const [districtText, setDistrictText] = useState(editing?.districtCode ?? "");
  const [unitText, setUnitText] = useState(editing?.workUnitCode ?? "");
  const ownContractor = me.role === "contractor" ? own : null;
  const ownUnit = me.role === "opd" ? own : null;
  // The regency the project must stay in, or the user may work in.
  const ownRegency =
    ownUnit?.regencyCode ?? (me.role === "bpjs" && REGENCY.test(me.regionCode ?? "") ? me.regionCode : null);
  const { suggestions, district } = useDistricts(editing?.regencyCode ?? ownRegency, districtText);
  /** The fields this role types; the rest are its own organisation's, filled in, or stay as they are. */
  const fixed: readonly FieldName[] = [
    ...(editing ? (["code"] as const) : []),
    ...(ownContractor || editing ? (["contractorNib", "contractorName"] as const) : []),
    ...(ownUnit ? (["workUnitCode"] as const) : []),
  ];
  const asked = FIELDS.filter((f) => !fixed.includes(f));

  const focus = (field: FieldName) =>
    (formRef.current?.elements.namedItem(field) as HTMLElement | null)?.focus();
  const showErrors = (found: Errors) => {
    setErrors(found);
    const first = asked.find((f) => found[f]);
    if (first) focus(first);
  };

  /** The server's refusal beside the field it is about, in the reader's language where the code tells why. */
  const placeRefusal = (
    error: unknown,
    input: Pick<ProjectInput, "code" | "districtCode" | "workUnitCode">,
  ): Errors => {
    const out: Errors = {};
    for (const [field, say] of Object.entries(fieldSayings(error))) if (isField(field)) out[field] = say;
    if (!(error instanceof ApiError)) return out;
    const regency = input.districtCode.slice(0, 5);
    switch (error.problem.code) {
      case "PROJECT_EXISTS":
        out.code = saying("newProject.exists", { code: input.code });
        break;
      case "PROJECT_REGENCY_FIXED":
        out.districtCode = saying("newProject.outsideProject", {
          code: input.districtCode,
          regency: editing?.regencyCode ?? regency,
        });
        break;
      case "DISTRICT_UNKNOWN":
        out.districtCode = saying("newProject.districtUnknown", { code: input.districtCode });
        break;
      case "REGION_CODE_INVALID":
        out.districtCode = saying("newProject.districtInvalid");
        break;
      case "WORK_UNIT_UNKNOWN":
        // A work unit's own code outside its regency is refused as FORBIDDEN before this (below).
        out.workUnitCode = saying("newProject.workUnitUnknown", { code: input.workUnitCode, regency });
        break;
      case "FORBIDDEN":
        // The branch may register projects in its region only, a work unit in its own regency only
        // (src/domain/access.ts canCreateProject; a work unit's code is its regency's own).
        if (me.role === "bpjs")
          out.districtCode = saying("newProject.outsideRegion", {
            code: input.districtCode,
            region: me.regionCode ?? "–",
          });
        else if (ownUnit)
          out.districtCode = saying("newProject.outsideUnit", {
            code: input.districtCode,
            regency: ownUnit.regencyCode ?? "–",
          });
        break;
    }
    return out;
  };

  const register = useMutation({
    mutationFn: (input: ProjectInput) => api<Created>("/api/v1/projects", { json: input }),
    onSuccess: (created) => {
      void client.invalidateQueries({ queryKey: ["projects"] });
      // A new contractor or work unit may have come with it, and a working project counts as unreported.
      void client.invalidateQueries({ queryKey: ["organisations"] });
      void client.invalidateQueries({ queryKey: ["coverage"] });
      navigate(`/proyek/${created.id}`, { state: { added: created.code } });
    },
    onError: (error, input) => showErrors(placeRefusal(error, input)),
  });
  const correct = useMutation({
    mutationFn: (input: ProjectEdit) =>
      api<ProjectDetail>(`/api/v1/projects/${editing?.id}`, { method: "PUT", json: input }),
    onSuccess: (project) => {
      client.setQueryData(["project", String(project.id)], project);
      void client.invalidateQueries({ queryKey: ["projects"] });
      void client.invalidateQueries({ queryKey: ["organisations"] });
      // Its sub-district, work unit or period may have moved its workers in the figures.
      void client.invalidateQueries({ queryKey: ["coverage"] });
      navigate(`/proyek/${project.id}`, { state: { edited: project.code } });
    },
    onError: (error, input) => showErrors(placeRefusal(error, { ...input, code: editing?.code ?? "" })),
  });
  const saving = editing ? correct : register;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    saving.reset();
    const f = new FormData(e.currentTarget);
    const text = (k: FieldName) => String(f.get(k) ?? "").trim();
    const local: Errors = {};
    for (const k of ["code", "name", "spkDate", "spmkDate", "endDate"] as const)
      if (asked.includes(k) && !text(k)) local[k] = saying("newProject.required");
    // The field is controlled: what it holds is what `district` was read from.
    const districtCode = district?.code ?? text("districtCode");
    if (!DISTRICT.test(districtCode))
      local.districtCode = districtCode
        ? saying("newProject.districtInvalid")
        : saying("newProject.required");
    for (const k of ["fundingSource", "workType"] as const)
      if (!text(k)) local[k] = saying("newProject.chooseOne");
    if (asked.includes("contractorNib")) {
      if (!text("contractorNib")) local.contractorNib = saying("newProject.required");
      else if (!/^\d{13}$/.test(text("contractorNib"))) local.contractorNib = saying("newProject.nibInvalid");
      if (!text("contractorName")) local.contractorName = saying("newProject.required");
    }
    const contractValue = parseRupiah(text("contractValue"), lang);
    if (contractValue === null || contractValue === 0)
      local.contractValue = text("contractValue")
        ? saying("newProject.valueInvalid")
        : saying("newProject.required");
    // The same order the API keeps (src/services/schemas.ts projectInput), said before sending.
    if (!local.spkDate && !local.spmkDate && text("spmkDate") < text("spkDate"))
      local.spmkDate = sayDate("newProject.spmkBeforeSpk", text("spkDate"));
    if (!local.spmkDate && !local.endDate && text("endDate") < text("spmkDate"))
      local.endDate = sayDate("newProject.endBeforeSpmk", text("spmkDate"));
    showErrors(local);
    if (Object.keys(local).length > 0 || contractValue === null) return;
    const data = {
      name: text("name"),
      districtCode,
      workUnitCode: ownUnit ? ownUnit.code : text("workUnitCode") || null,
      fundingSource: text("fundingSource") as FundingSource,
      workType: text("workType") as ProjectInput["workType"],
      contractValue,
      spkDate: text("spkDate"),
      spmkDate: text("spmkDate"),
      endDate: text("endDate"),
    };
    if (editing) correct.mutate(data);
    else
      register.mutate({
        ...data,
        code: text("code"),
        contractorNib: ownContractor ? ownContractor.code : text("contractorNib"),
        contractorName: ownContractor ? ownContractor.name : text("contractorName"),
      });
  };
  const clear = (field: string) =>
    setErrors((e) => (isField(field) && e[field] ? { ...e, [field]: undefined } : e));

  // A refusal about no field this role types (a role, a lost session) is said as a whole.
  const placed = asked.some((f) => errors[f]);
  const value = parseRupiah(valueText, lang);
  const unit = workUnits.find((u) => u.code === unitText.trim());
  const districtHint = district
    ? t("newProject.districtKnown", { name: district.name, place: district.place })
    : t("newProject.districtHint", {
        example: ownRegency ? `${ownRegency}.01` : "61.03.01",
        where: ownUnit?.regencyCode
          ? t("newProject.inRegency", { regency: ownUnit.regencyCode })
          : me.role === "bpjs" && me.regionCode
            ? t("newProject.inRegion", { region: me.regionCode })
            : "",
      });

  return (
    <form
      ref={formRef}
      className="card narrow stack"
      noValidate
      aria-labelledby="project-form"
      onSubmit={submit}
      onChange={(e) => {
        // An edited field's message goes (the form hears its fields' changes).
        const field: EventTarget = e.target;
        if (field instanceof HTMLInputElement || field instanceof HTMLSelectElement) clear(field.name);
      }}
    >
      <h2>{t("newProject.package")}</h2>
      {editing ? (
        <p>{t("newProject.codeFixed", { code: editing.code })}</p>
      ) : (
        <Field
          name="code"
          label={t("newProject.code")}
          maxLength={64}
          autoComplete="off"
          hint={t("newProject.codeHint")}
          error={errors.code ?? ""}
        />
      )}
      <Field
        name="name"
        label={t("projects.name")}
        maxLength={300}
        autoComplete="off"
        defaultValue={editing?.name}
        error={errors.name ?? ""}
      />
      <Field
        name="districtCode"
        label={t("newProject.districtLabel")}
        autoComplete="off"
        maxLength={60}
        suggestions={suggestions}
        value={districtText}
        onChange={(e) => setDistrictText(e.target.value)}
        hint={districtHint}
        error={errors.districtCode ?? ""}
      />
      {ownUnit ? (
        <p>{t("newProject.yourUnit", { name: ownUnit.name, code: ownUnit.code })}</p>
      ) : (
        <Field
          name="workUnitCode"
          label={t("newProject.workUnitCode")}
          maxLength={64}
          autoComplete="off"
          suggestions={workUnits.map((u) => ({ value: u.code, label: u.name }))}
          value={unitText}
          onChange={(e) => setUnitText(e.target.value)}
          hint={
            me.role === "contractor" || !unitText.trim()
              ? t(me.role === "contractor" ? "newProject.workUnitHint" : "newProject.workUnitHintOfficer")
              : unit
                ? t("newProject.workUnitKnown", { name: unit.name })
                : t("newProject.workUnitNew", { code: unitText.trim() })
          }
          error={errors.workUnitCode ?? ""}
        />
      )}
      <Choice
        name="fundingSource"
        label={t("projects.funding")}
        error={errors.fundingSource ?? ""}
        initial={editing?.fundingSource}
        options={FUNDING.map((v) => ({ value: v, label: t(`funding.${v}`) }))}
      />
      <Choice
        name="workType"
        label={t("projects.workType")}
        error={errors.workType ?? ""}
        initial={editing?.workType}
        options={WORK_TYPES.map((v) => ({ value: v, label: t(`workType.${v}`) }))}
      />

      <h2>{t("newProject.contractor")}</h2>
      {ownContractor ? (
        <p>{t("newProject.yourCompany", { name: ownContractor.name, code: ownContractor.code })}</p>
      ) : editing ? (
        <p>{t("newProject.contractorFixed", { name: editing.contractor })}</p>
      ) : (
        <>
          <Field
            name="contractorNib"
            label={t("newProject.nib")}
            maxLength={64}
            autoComplete="off"
            hint={t("newProject.nibHint")}
            error={errors.contractorNib ?? ""}
          />
          <Field
            name="contractorName"
            label={t("newProject.contractorName")}
            maxLength={300}
            autoComplete="off"
            error={errors.contractorName ?? ""}
          />
        </>
      )}

      <h2>{t("newProject.contract")}</h2>
      <Field
        name="contractValue"
        label={t("newProject.value")}
        inputMode="numeric"
        autoComplete="off"
        value={valueText}
        onChange={(e) => setValueText(e.target.value)}
        hint={
          value === null
            ? t("newProject.valueHint")
            : `${t("newProject.valueReadAs", { amount: rp(value) })} ${t("newProject.valueHint")}`
        }
        error={errors.contractValue ?? ""}
      />
      <Field
        name="spkDate"
        label={t("newProject.spk")}
        type="date"
        defaultValue={editing?.spkDate}
        hint={t("newProject.spkHint")}
        error={errors.spkDate ?? ""}
      />
      <Field
        name="spmkDate"
        label={t("newProject.spmk")}
        type="date"
        defaultValue={editing?.spmkDate}
        error={errors.spmkDate ?? ""}
      />
      <Field
        name="endDate"
        label={t("newProject.end")}
        type="date"
        defaultValue={editing?.endDate}
        error={errors.endDate ?? ""}
      />

      <div className="buttons">
        <BusyButton type="submit" busy={saving.isPending}>
          {t(editing ? "newProject.save" : "newProject.submit")}
        </BusyButton>
        <Link to={editing ? `/proyek/${editing.id}` : "/proyek"}>{t("newProject.cancel")}</Link>
      </div>
      {saving.error && !placed ? <ErrorBox error={saving.error} action /> : null}
    </form>
  );
}

/** A labelled choice with its message below it, as `Field` does for an input; nothing chosen at first, unless correcting. */
function Choice({
  name,
  label,
  error,
  initial,
  options,
}: {
  name: FieldName;
  label: string;
  error: string;
  /** The value of the project being corrected. */
  initial?: string | undefined;
  options: readonly { value: string; label: string }[];
}) {
  const { t } = useFormat();
  const id = `${name}-error`;
  return (
    <>
      <label>
        {label}
        <select
          name={name}
          defaultValue={initial ?? ""}
          aria-invalid={error ? true : undefined}
          aria-describedby={id}
        >
          <option value="">{t("newProject.choose")}</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <p id={id} className="hint bad" aria-live="polite">
        {error}
      </p>
    </>
  );
}
