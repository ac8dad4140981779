import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { api, qs } from "../api.js";
import { ClearanceBadge, ClearanceByNib } from "../components/clearance.js";
import { DataTable } from "../components/data-table.js";
import { SearchForm } from "../components/search-form.js";
import { QueryView } from "../components/states.js";
import type { ContractorSummary } from "../contractors.js";
import { RequireRole } from "../guard.js";
import { addPageStrings, useFormat } from "../i18n.js";
import type { Me } from "../session.js";

// The column's two figures, named as the workers' column names its own.
addPageStrings("contractorList", {
  id: { projects: "Proyek (aktif/total)" },
  en: { projects: "Projects (active/total)" },
});

export default function ContractorsPage() {
  return <RequireRole page="contractors">{(me) => <Contractors me={me} />}</RequireRole>;
}

function Contractors({ me }: { me: Me }) {
  const { t, num } = useFormat();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const list = useQuery({
    queryKey: ["contractors", q, me.today],
    queryFn: () => api<ContractorSummary[]>(`/api/v1/contractors${qs({ q, date: me.today })}`),
    placeholderData: keepPreviousData,
  });
  return (
    <section>
      <h1>{t("contractors.title")}</h1>
      {me.role === "contractor" ? null : <ClearanceByNib />}
      <SearchForm
        label={t("common.search")}
        value={q}
        onSearch={(v) => setParams({ q: v }, { replace: true })}
      />
      <QueryView query={list} isEmpty={(d) => d.length === 0}>
        {(rows) => (
          <DataTable
            label={t("contractors.title")}
            stacked
            rows={rows}
            rowKey={(c) => c.id}
            columns={[
              {
                header: t("projects.contractor"),
                cell: (c) => <Link to={`/penyedia/${c.id}`}>{c.name}</Link>,
              },
              { header: t("contractors.nib"), cell: (c) => <span className="mono">{c.nib}</span> },
              {
                header: t("contractorList.projects"),
                numeric: true,
                cell: (c) => `${num(c.activeProjects)} / ${num(c.projects)}`,
              },
              {
                header: t("contractors.workers"),
                numeric: true,
                cell: (c) => `${num(c.protectedWorkers)} / ${num(c.knownWorkers)}`,
              },
              { header: t("contractors.findings"), numeric: true, cell: (c) => num(c.openFindings) },
              { header: t("contractors.clearance"), cell: (c) => <ClearanceBadge cleared={c.cleared} /> },
              {
                header: t("contractors.case"),
                cell: (c) =>
                  c.openCase ? (
                    <span className={c.openCase.overdue ? "badge bad" : "badge"}>
                      {t(`cases.stepNames.${c.openCase.step}`)}
                      {c.openCase.overdue ? ` · ${t("cases.overdue")}` : ""}
                    </span>
                  ) : (
                    "–"
                  ),
              },
            ]}
          />
        )}
      </QueryView>
    </section>
  );
}
