import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { listTargets } from "../../../src/services/coverage.js";
import type { listOrganisations } from "../../../src/services/organisations.js";
import { api, fieldErrors, fieldSayings, qs } from "../api.js";
import { BusyButton } from "../components/busy-button.js";
import { type Column, DataTable } from "../components/data-table.js";
import { Field } from "../components/field.js";
import { ErrorBox, QueryView } from "../components/states.js";
import { type Saying, saying, useFieldErrors } from "../field-errors.js";
import { RequireRole } from "../guard.js";
import { addPageStrings, useFormat } from "../i18n.js";
import type { ProjectDetail, ProjectPage } from "../projects.js";
import type { Me } from "../session.js";

addPageStrings("targets", {
  id: {
    title: "Target cakupan",
    intro:
      "Target Universal Coverage Jamsostek per tahun: bagian pekerja jasa konstruksi yang terlindungi. Ringkasan membandingkan cakupan dengan target ini dan menghitung kekurangannya.",
    year: "Tahun",
    scope: "Cakupan",
    name: "Nama",
    percent: "Target",
    source: "Sumber",
    scopes: { region: "Wilayah", work_unit: "OPD", contractor: "Penyedia jasa", project: "Proyek" },
    set: "Tetapkan target",
    setHint:
      "Menetapkan target yang sudah ada untuk cakupan dan tahun yang sama menggantinya; nilai lama tercatat di jejak audit.",
    regionId: "Kode wilayah",
    regionHint: "Kabupaten (mis. 61.03) atau kecamatan (mis. 61.03.01) di wilayah Anda",
    scopeId: {
      region: "Kode wilayah",
      work_unit: "OPD",
      contractor: "Penyedia jasa",
      project: "Proyek",
    },
    scopeIdHint: {
      region: "Kode Kemendagri kabupaten/kota atau kecamatan, mis. 61.03.",
      work_unit: "Ketik nama atau kode OPD, lalu pilih dari daftar.",
      contractor: "Ketik nama atau NIB penyedia jasa, lalu pilih dari daftar.",
      project: "Ketik nama atau kode paket (paling sedikit 2 huruf), lalu pilih dari daftar.",
    },
    chosen: "Dipilih: {{name}}.",
    notFound: "Tidak ada yang cocok dengan “{{text}}”: pilih dari daftar.",
    percentHint: "Persen, mis. 58,65",
    percentInvalid: "Tulis persen antara 0 dan 100, paling banyak dua angka desimal, mis. 58,65.",
    yearInvalid: "Tulis tahun empat angka, mis. 2026.",
    required: "Wajib diisi.",
    sourceHint:
      "Dasar target, mis. Rencana Kerja Cabang 2026. Kosongkan untuk mempertahankan sumber target yang diganti.",
    saved: "Target {{name}} tahun {{year}} ditetapkan {{percent}}.",
  },
  en: {
    title: "Coverage targets",
    intro:
      "Yearly Universal Coverage Jamsostek targets: the share of construction workers who are protected. The overview compares coverage with these targets and counts the gap.",
    year: "Year",
    scope: "Scope",
    name: "Name",
    percent: "Target",
    source: "Source",
    scopes: { region: "Region", work_unit: "Work unit", contractor: "Contractor", project: "Project" },
    set: "Set a target",
    setHint:
      "Setting a target that exists for the same scope and year replaces it; the old value is kept in the audit trail.",
    regionId: "Region code",
    regionHint: "A regency (e.g. 61.03) or a sub-district (e.g. 61.03.01) in your region",
    scopeId: {
      region: "Region code",
      work_unit: "Work unit",
      contractor: "Contractor",
      project: "Project",
    },
    scopeIdHint: {
      region: "The Kemendagri code of a regency or sub-district, e.g. 61.03.",
      work_unit: "Type the work unit's name or code, then choose it from the list.",
      contractor: "Type the contractor's name or NIB, then choose it from the list.",
      project: "Type the project's name or package code (2 letters at least), then choose it from the list.",
    },
    chosen: "Chosen: {{name}}.",
    notFound: "Nothing matches “{{text}}”: choose from the list.",
    percentHint: "Percent, e.g. 58.65",
    percentInvalid: "Write a percentage from 0 to 100 with at most two decimals, e.g. 58.65.",
    yearInvalid: "Write a four-digit year, e.g. 2026.",
    required: "Required.",
    sourceHint:
      "What the target rests on, e.g. Branch work plan 2026. Leave it empty to keep the source of a target you replace.",
    saved: "Target for {{name}} in {{year}} set to {{percent}}.",
  },
});

type Scope = "region" | "work_unit" | "contractor" | "project";
const SCOPES: readonly Scope[] = ["region", "work_unit", "contractor", "project"];

type Target = Awaited<ReturnType<typeof listTargets>>[number];
type Organisation = Awaited<ReturnType<typeof listOrganisations>>[number];
interface Choice {
  id: string;
  label: string;
}

/**
 * What an admin may set a work unit's, contractor's or project's target on, by name or code rather than
 * by internal id: the organisations of that kind, or the projects a search finds. A choice puts its id in
 * the field; `chosen` names the scope the field's id stands for, a name or code typed is read as the one
 * choice it matches.
 */
function useScopeChoices(scope: Scope, text: string) {
  const typed = text.trim();
  const kind = scope === "work_unit" || scope === "contractor" ? scope : null;
  const organisations = useQuery({
    queryKey: ["organisations", kind],
    queryFn: () => api<Organisation[]>(`/api/v1/organisations${qs({ kind })}`),
    enabled: kind !== null,
  });
  const isId = /^\d+$/.test(typed);
  const found = useQuery({
    queryKey: ["projects", "target-search", typed],
    queryFn: () => api<ProjectPage>(`/api/v1/projects${qs({ q: typed, pageSize: 20 })}`),
    enabled: scope === "project" && typed.length >= 2 && !isId,
  });
  const project = useQuery({
    queryKey: ["project", typed],
    queryFn: () => api<ProjectDetail>(`/api/v1/projects/${typed}`),
    enabled: scope === "project" && isId,
    retry: false,
  });
  const choices: Choice[] =
    kind && organisations.data
      ? organisations.data
          .filter((o) => o.kind === kind)
          .map((o) => ({
            id: String(o.id),
            label: `${o.name} (${o.code}${o.regencyCode ? `, ${o.regencyCode}` : ""})`,
          }))
      : scope === "project"
        ? (found.data?.items ?? []).map((p) => ({ id: String(p.id), label: `${p.code} — ${p.name}` }))
        : [];
  const lower = typed.toLowerCase();
  const matching = choices.filter((c) => c.label.toLowerCase().includes(lower));
  const byText = lower && matching.length === 1 ? matching[0] : undefined;
  const chosen =
    scope === "project" && isId
      ? project.data && `${project.data.code} — ${project.data.name}`
      : (choices.find((c) => c.id === typed) ?? byText)?.label;
  return {
    choices,
    chosen: chosen || null,
    idOf: (t: string) => (/^\d+$/.test(t.trim()) ? t.trim() : byText?.id),
  };
}

/**
 * Coverage targets (DESIGN §2: targets belong to a scope and a year). Work units read the targets that
 * concern them; the BPJS branch sets its regions' targets, an admin any scope's.
 */
export default function TargetsPage() {
  return <RequireRole page="targets">{(me) => <Targets me={me} />}</RequireRole>;
}

function Targets({ me }: { me: Me }) {
  const { t, pct } = useFormat();
  const targets = useQuery({ queryKey: ["targets"], queryFn: () => api<Target[]>("/api/v1/targets") });
  const columns: Column<Target>[] = [
    { header: t("targets.year"), cell: (x) => x.year },
    { header: t("targets.scope"), cell: (x) => t(`targets.scopes.${x.scope}`) },
    {
      header: t("targets.name"),
      cell: (x) => (
        <>
          {x.name}
          <div className="muted mono">{x.id}</div>
        </>
      ),
    },
    { header: t("targets.percent"), numeric: true, cell: (x) => pct(x.percent) },
    { header: t("targets.source"), cell: (x) => x.source || "–" },
  ];
  return (
    <section>
      <h1>{t("targets.title")}</h1>
      <p className="muted narrow">{t("targets.intro")}</p>
      <QueryView query={targets} isEmpty={(rows) => rows.length === 0}>
        {(rows) => (
          <DataTable
            label={t("targets.title")}
            testId="targets"
            stacked
            rows={rows}
            rowKey={(x) => `${x.scope}:${x.id}:${x.year}`}
            columns={columns}
          />
        )}
      </QueryView>
      {me.role === "bpjs" || me.role === "admin" ? <SetTarget me={me} /> : null}
    </section>
  );
}

/** A percentage as people type it: 58,65 or 58.65, whole or to two decimals, within 0–100. */
function parsePercent(text: string): number | null {
  const m = /^(\d{1,3})(?:[.,](\d{1,2}))?\s*%?$/.exec(text.trim());
  if (!m) return null;
  const n = Number(`${m[1]}.${m[2] ?? "0"}`);
  return n <= 100 ? n : null;
}

const FIELDS = ["id", "year", "percent", "source"] as const;
type FieldName = (typeof FIELDS)[number];

/** Set (or replace) one scope's target for a year. A BPJS officer's are regional; the server checks it. */
function SetTarget({ me }: { me: Me }) {
  const { t, pct } = useFormat();
  const client = useQueryClient();
  const anyScope = me.role === "admin";
  const [scope, setScope] = useState<Scope>("region");
  const [idText, setIdText] = useState(me.regionCode ?? "");
  const { choices, chosen, idOf } = useScopeChoices(scope, idText);
  const [errors, setErrors] = useFieldErrors<FieldName>();
  /** The target just set, said in the language shown. */
  const [saved, setSaved] = useState<{ name: string; year: number; percent: number } | null>(null);
  const save = useMutation({
    mutationFn: (input: { scope: Scope; id: string; year: number; percent: number; source?: string }) =>
      api("/api/v1/targets", { method: "PUT", json: input }),
    onSuccess: async (_, input) => {
      await client.invalidateQueries({ queryKey: ["targets"] });
      // The overview reads the target with its coverage and plan.
      void client.invalidateQueries({ queryKey: ["coverage"] });
      void client.invalidateQueries({ queryKey: ["plan"] });
      const rows = client.getQueryData<Target[]>(["targets"]);
      const name = rows?.find((x) => x.scope === input.scope && x.id === input.id)?.name ?? input.id;
      setSaved({ name, year: input.year, percent: input.percent });
    },
    onError: (error) => setErrors(fieldSayings(error)),
  });

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setSaved(null);
    const f = new FormData(e.currentTarget);
    const text = (k: FieldName) => String(f.get(k) ?? "").trim();
    const percent = parsePercent(text("percent"));
    const local: Partial<Record<FieldName, Saying>> = {};
    // A region by its code; another scope by the id its choice put in the field, or the one choice that
    // matches a name or code typed.
    const id = scope === "region" ? text("id") : idOf(text("id"));
    if (!text("id")) local.id = saying("targets.required");
    else if (!id) local.id = saying("targets.notFound", { text: text("id") });
    if (!/^\d{4}$/.test(text("year"))) local.year = saying("targets.yearInvalid");
    if (percent === null) local.percent = saying("targets.percentInvalid");
    setErrors(local);
    const first = FIELDS.find((k) => local[k]);
    if (first) (e.currentTarget.elements.namedItem(first) as HTMLInputElement | null)?.focus();
    else if (percent !== null && id)
      save.mutate({
        scope,
        id,
        year: Number(text("year")),
        percent,
        // Left out when empty: a replaced target keeps its source.
        ...(text("source") ? { source: text("source") } : {}),
      });
  };
  const placed = FIELDS.some((k) => fieldErrors(save.error)[k]);

  return (
    <form className="card narrow stack" noValidate aria-labelledby="set-target" onSubmit={submit}>
      <h2 id="set-target">{t("targets.set")}</h2>
      <p className="muted">{t("targets.setHint")}</p>
      {anyScope ? (
        <label>
          {t("targets.scope")}
          <select
            name="scope"
            value={scope}
            onChange={(e) => {
              const next = e.target.value as Scope;
              setScope(next);
              setIdText(next === "region" ? (me.regionCode ?? "") : "");
            }}
          >
            {SCOPES.map((s) => (
              <option key={s} value={s}>
                {t(`targets.scopes.${s}`)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <Field
        name="id"
        label={anyScope ? t(`targets.scopeId.${scope}`) : t("targets.regionId")}
        autoComplete="off"
        value={idText}
        onChange={(e) => setIdText(e.target.value)}
        suggestions={choices.map((c) => ({ value: c.id, label: c.label }))}
        hint={
          chosen
            ? t("targets.chosen", { name: chosen })
            : anyScope
              ? t(`targets.scopeIdHint.${scope}`)
              : t("targets.regionHint")
        }
        error={errors.id ?? ""}
      />
      <Field
        name="year"
        label={t("targets.year")}
        inputMode="numeric"
        defaultValue={me.today.slice(0, 4)}
        error={errors.year ?? ""}
      />
      <Field
        name="percent"
        label={t("targets.percent")}
        inputMode="decimal"
        hint={t("targets.percentHint")}
        error={errors.percent ?? ""}
      />
      <Field
        name="source"
        label={t("targets.source")}
        maxLength={300}
        hint={t("targets.sourceHint")}
        error={errors.source ?? ""}
      />
      <BusyButton type="submit" busy={save.isPending}>
        {t("targets.set")}
      </BusyButton>
      <div role="status">
        {saved ? (
          <p className="success">
            {t("targets.saved", { name: saved.name, year: saved.year, percent: pct(saved.percent) })}
          </p>
        ) : null}
      </div>
      {save.error && !placed ? <ErrorBox error={save.error} action /> : null}
    </form>
  );
}
