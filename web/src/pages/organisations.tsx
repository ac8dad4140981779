import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import type { listOrganisations } from "../../../src/services/organisations.js";
import { useAddressChoice } from "../address-choice.js";
import { ApiError, api, fieldSayings, qs } from "../api.js";
import { BusyButton } from "../components/busy-button.js";
import { type Column, DataTable } from "../components/data-table.js";
import { Field } from "../components/field.js";
import { ErrorBox, QueryView } from "../components/states.js";
import { type Saying, saying, useFieldErrors } from "../field-errors.js";
import { RequireRole } from "../guard.js";
import { addPageStrings, useFormat } from "../i18n.js";

addPageStrings("organisations", {
  id: {
    title: "Organisasi",
    intro:
      "OPD, penyedia jasa, kantor cabang BPJS Ketenagakerjaan dan Kejaksaan yang dikenal Pantau Jakon. Akun pengguna dan proyek terikat pada organisasi ini. Organisasi dikenali dari jenis dan kodenya: satu kode hanya dipakai sekali untuk satu jenis. Setiap penambahan tercatat di jejak audit.",
    list: "Daftar organisasi",
    filter: "Tampilkan",
    allKinds: "Semua jenis",
    kinds: {
      work_unit: "OPD (perangkat daerah)",
      contractor: "Penyedia jasa konstruksi",
      bpjs_branch: "Kantor cabang BPJS Ketenagakerjaan",
      enforcer: "Kejaksaan / pengawas ketenagakerjaan",
      admin: "Admin",
    },
    name: "Nama",
    kind: "Jenis",
    code: "Kode",
    regency: "Kabupaten/kota",
    add: "Tambah organisasi",
    codeHints: {
      work_unit: "Kode singkat OPD, mis. PUPR",
      contractor: "NIB (Nomor Induk Berusaha) penyedia jasa",
      bpjs_branch: "Mis. BPJS-SANGGAU",
      enforcer: "Mis. KEJARI-SANGGAU",
      admin: "",
    },
    regencyHints: {
      work_unit: "Wajib. Kode Kemendagri, mis. 61.03: proyek di kabupaten/kota ini dapat menyebut OPD ini.",
      contractor:
        "Boleh kosong: penyedia jasa dapat bekerja di kabupaten/kota mana pun. Kode Kemendagri, mis. 61.03.",
      bpjs_branch:
        "Boleh kosong: wilayah yang diawasi petugas diatur pada akunnya (halaman Pengguna). Kode Kemendagri, mis. 61.03.",
      enforcer:
        "Wajib. Kode Kemendagri, mis. 61.03: kasus di kabupaten/kota ini diserahkan ke Kejaksaan ini.",
      admin: "",
    },
    required: "Wajib diisi.",
    regencyInvalid: "Tulis kode kabupaten/kota Kemendagri, mis. 61.03.",
    regencyUnknown: "Kode kabupaten/kota {{code}} tidak dikenal.",
    added: "{{kind}} “{{name}}” ({{code}}) ditambahkan.",
    exists:
      "Sudah ada {{kind}} dengan kode {{code}}: “{{name}}”{{where}}. Tidak ada yang ditambahkan atau diubah; pakai kode lain, atau organisasi yang sudah ada.",
    where: ", kabupaten/kota {{regency}}",
  },
  en: {
    title: "Organisations",
    intro:
      "The work units (OPD), contractors, BPJS Ketenagakerjaan branches and prosecutors Pantau Jakon knows. User accounts and projects belong to them. An organisation is known by its kind and code: a code is used once for a kind. Every addition is kept in the audit trail.",
    list: "Organisation list",
    filter: "Show",
    allKinds: "All kinds",
    kinds: {
      work_unit: "Work unit (OPD)",
      contractor: "Construction contractor",
      bpjs_branch: "BPJS Ketenagakerjaan branch",
      enforcer: "Prosecutor / labour inspector",
      admin: "Admin",
    },
    name: "Name",
    kind: "Kind",
    code: "Code",
    regency: "Regency/city",
    add: "Add an organisation",
    codeHints: {
      work_unit: "The work unit's short code, e.g. PUPR",
      contractor: "The contractor's NIB (business identification number)",
      bpjs_branch: "E.g. BPJS-SANGGAU",
      enforcer: "E.g. KEJARI-SANGGAU",
      admin: "",
    },
    regencyHints: {
      work_unit: "Required. A Kemendagri code, e.g. 61.03: projects in this regency may name this work unit.",
      contractor: "May be empty: a contractor may work in any regency. A Kemendagri code, e.g. 61.03.",
      bpjs_branch:
        "May be empty: the region an officer oversees is set on their account (Users page). A Kemendagri code, e.g. 61.03.",
      enforcer:
        "Required. A Kemendagri code, e.g. 61.03: cases in this regency are referred to this prosecutor.",
      admin: "",
    },
    required: "Required.",
    regencyInvalid: "Write a Kemendagri regency code, e.g. 61.03.",
    regencyUnknown: "There is no regency with code {{code}}.",
    added: "{{kind}} “{{name}}” ({{code}}) added.",
    exists:
      "There is already a {{kind}} with code {{code}}: “{{name}}”{{where}}. Nothing was added or changed; use another code, or the organisation that exists.",
    where: ", regency {{regency}}",
  },
});

type Organisation = Awaited<ReturnType<typeof listOrganisations>>[number];
type Kind = Organisation["kind"];

/**
 * Whether an organisation of each kind names its regency, and the kinds in the order they are offered.
 * The API takes a regency for any kind and requires none; the page asks for one where the server relies
 * on it: a contractor or work unit filing a project names a work unit of the project's regency
 * (src/services/access.ts), and a case is referred to the prosecutor of its regency (src/services/cases.ts).
 * An admin belongs to no organisation (ORGANISATION_KIND_OF_ROLE), so none of kind `admin` is added here.
 */
const REGENCY_OF_KIND: Record<Kind, "required" | "optional" | null> = {
  work_unit: "required",
  contractor: "optional",
  bpjs_branch: "optional",
  enforcer: "required",
  admin: null,
};
const KINDS = Object.keys(REGENCY_OF_KIND) as Kind[];
const ADDABLE = KINDS.filter((k) => REGENCY_OF_KIND[k] !== null);
const isKind = (v: string | null): v is Kind => KINDS.includes(v as Kind);

/** A regency's Kemendagri code (61.03), as the API takes it. */
const REGENCY = /^\d{2}\.\d{2}$/;

/**
 * The admin's list of organisations (DESIGN §1: the admin manages organisations), by kind, and a form to
 * add one. The server decides and records each addition; this page only asks.
 */
export default function OrganisationsPage() {
  return <RequireRole page="organisations">{() => <Organisations />}</RequireRole>;
}

function Organisations() {
  const { t, num } = useFormat();
  const [kind, choose] = useAddressChoice<Kind | null>("kind", (raw) => (isKind(raw) ? raw : null), null);
  const organisations = useQuery({
    queryKey: ["organisations", kind ?? "all"],
    queryFn: () => api<Organisation[]>(`/api/v1/organisations${qs({ kind })}`),
  });
  const columns: Column<Organisation>[] = [
    { header: t("organisations.name"), cell: (o) => o.name },
    { header: t("organisations.kind"), cell: (o) => t(`organisations.kinds.${o.kind}`) },
    { header: t("organisations.code"), cell: (o) => <span className="mono">{o.code}</span> },
    { header: t("organisations.regency"), cell: (o) => <span className="mono">{o.regencyCode ?? "–"}</span> },
  ];
  return (
    <section>
      <h1>{t("organisations.title")}</h1>
      <p className="muted narrow">{t("organisations.intro")}</p>
      {/* The form comes first: the list can be long (every contractor known). */}
      <AddOrganisation
        onAdded={(added) => {
          // Show the list the new organisation is in, when another kind was chosen.
          if (kind && kind !== added) choose(added);
        }}
      />
      <h2>{t("organisations.list")}</h2>
      <div className="inline narrow">
        <label>
          {t("organisations.filter")}
          <select
            name="kind-filter"
            value={kind ?? ""}
            onChange={(e) => choose(isKind(e.target.value) ? e.target.value : null)}
          >
            <option value="">{t("organisations.allKinds")}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`organisations.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <QueryView query={organisations} isEmpty={(rows) => rows.length === 0}>
        {(rows) => (
          <>
            <p className="muted">{t("common.total", { count: rows.length, formatted: num(rows.length) })}</p>
            <DataTable
              label={kind ? t(`organisations.kinds.${kind}`) : t("organisations.title")}
              testId="organisations"
              stacked
              rows={rows}
              rowKey={(o) => o.id}
              columns={columns}
            />
          </>
        )}
      </QueryView>
    </section>
  );
}

const NEW_FIELDS = ["code", "name", "regencyCode"] as const;
type NewField = (typeof NEW_FIELDS)[number];
interface NewOrganisation {
  kind: Kind;
  code: string;
  name: string;
  regencyCode: string | null;
}

/**
 * Add an organisation. The API answers a kind and code it already has with that organisation, unchanged
 * (`created: false`): the page then says which organisation holds the code instead of "added".
 */
function AddOrganisation({ onAdded }: { onAdded: (kind: Kind) => void }) {
  const { t } = useFormat();
  const client = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [kind, setKind] = useState<Kind>(ADDABLE[0] as Kind);
  const [errors, setErrors] = useFieldErrors<NewField>();
  const regency = REGENCY_OF_KIND[kind];
  const add = useMutation({
    mutationFn: async (input: NewOrganisation) => {
      const { id, created } = await api<{ id: number; created: boolean }>("/api/v1/organisations", {
        json: input,
      });
      if (created) return { added: true, organisation: { id, ...input } };
      const kept = (await api<Organisation[]>(`/api/v1/organisations${qs({ kind: input.kind })}`)).find(
        (o) => o.id === id,
      );
      return { added: false, organisation: kept ?? { id, ...input } };
    },
    onSuccess: ({ added }, input) => {
      if (!added) return;
      formRef.current?.reset();
      onAdded(input.kind);
      // The users page offers organisations by kind from the same list.
      void client.invalidateQueries({ queryKey: ["organisations"] });
    },
    onError: (error, input) => {
      const server: Partial<Record<NewField, Saying>> = fieldSayings(error);
      // The regency is the only reference an organisation holds, so an unknown reference is that code.
      if (error instanceof ApiError && error.problem.code === "REFERENCE_UNKNOWN")
        server.regencyCode = saying("organisations.regencyUnknown", { code: input.regencyCode });
      setErrors(server);
      const first = NEW_FIELDS.find((k) => server[k]);
      if (first) (formRef.current?.elements.namedItem(first) as HTMLElement | null)?.focus();
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    add.reset();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? "").trim();
    const local: Partial<Record<NewField, Saying>> = {};
    if (!text("code")) local.code = saying("organisations.required");
    if (!text("name")) local.name = saying("organisations.required");
    if (regency === "required" && !text("regencyCode")) local.regencyCode = saying("organisations.required");
    else if (text("regencyCode") && !REGENCY.test(text("regencyCode")))
      local.regencyCode = saying("organisations.regencyInvalid");
    setErrors(local);
    const first = NEW_FIELDS.find((k) => local[k]);
    if (first) {
      (e.currentTarget.elements.namedItem(first) as HTMLElement | null)?.focus();
      return;
    }
    add.mutate({
      kind,
      code: text("code"),
      name: text("name"),
      regencyCode: regency && text("regencyCode") ? text("regencyCode") : null,
    });
  };
  const placed = NEW_FIELDS.some((k) => errors[k]);
  const done = add.data;
  const said = (o: { kind: Kind; code: string; name: string; regencyCode: string | null }) => ({
    kind: t(`organisations.kinds.${o.kind}`),
    code: o.code,
    name: o.name,
    where: o.regencyCode ? t("organisations.where", { regency: o.regencyCode }) : "",
  });
  return (
    <form
      ref={formRef}
      className="card narrow stack"
      noValidate
      aria-labelledby="add-organisation"
      onSubmit={submit}
    >
      <h2 id="add-organisation">{t("organisations.add")}</h2>
      <label>
        {t("organisations.kind")}
        <select
          name="kind"
          value={kind}
          onChange={(e) => {
            setKind(e.target.value as Kind);
            setErrors({});
          }}
        >
          {ADDABLE.map((k) => (
            <option key={k} value={k}>
              {t(`organisations.kinds.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <Field
        name="code"
        label={t("organisations.code")}
        maxLength={64}
        autoComplete="off"
        hint={t(`organisations.codeHints.${kind}`)}
        error={errors.code ?? ""}
      />
      <Field
        name="name"
        label={t("organisations.name")}
        maxLength={300}
        autoComplete="off"
        error={errors.name ?? ""}
      />
      {regency ? (
        <Field
          name="regencyCode"
          label={t("organisations.regency")}
          inputMode="decimal"
          autoComplete="off"
          hint={t(`organisations.regencyHints.${kind}`)}
          error={errors.regencyCode ?? ""}
        />
      ) : null}
      <BusyButton type="submit" busy={add.isPending}>
        {t("organisations.add")}
      </BusyButton>
      <div role="status">
        {done?.added ? <p className="success">{t("organisations.added", said(done.organisation))}</p> : null}
        {done && !done.added ? (
          <p className="notice">{t("organisations.exists", said(done.organisation))}</p>
        ) : null}
      </div>
      {add.error && !placed ? <ErrorBox error={add.error} action /> : null}
    </form>
  );
}
