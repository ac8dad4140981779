import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import type { SORTABLE } from "../../../src/services/project-views.js";
import { api, qs } from "../api.js";
import { type Column, DataTable } from "../components/data-table.js";
import { Pager } from "../components/pager.js";
import { SearchForm } from "../components/search-form.js";
import { Empty, QueryView } from "../components/states.js";
import { RequireRole } from "../guard.js";
import { addPageStrings, useFormat } from "../i18n.js";
import type { ProjectPage, ProjectSummary } from "../projects.js";
import { type Me, mayRegisterProject } from "../session.js";

addPageStrings("projects", {
  id: { add: "Daftarkan proyek baru", noMatch: "Tidak ada proyek yang cocok dengan “{{q}}”." },
  en: { add: "Register a new project", noMatch: "No project matches “{{q}}”." },
});

type SortKey = (typeof SORTABLE)[number];

const PAGE_SIZE = 20;
export default function ProjectsPage() {
  return <RequireRole page="projects">{(me) => <Projects me={me} />}</RequireRole>;
}

function Projects({ me }: { me: Me }) {
  const { t, num, rp, date } = useFormat();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const page = Number(params.get("page") ?? 1);
  const sort = (params.get("sort") ?? "name") as SortKey;
  const order = params.get("order") === "desc" ? "desc" : "asc";
  /** A header that sorts by its column: ascending first, then descending on a second press. */
  const sortable = (
    label: string,
    key: SortKey,
  ): Pick<Column<ProjectSummary>, "header" | "sort" | "label"> => ({
    sort: key === sort ? (order === "asc" ? "ascending" : "descending") : undefined,
    label: t(label),
    header: (
      <button
        type="button"
        className="sort"
        title={t("projects.sortBy", { column: t(label) })}
        onClick={() => set({ sort: key, order: key === sort && order === "asc" ? "desc" : "asc", page: "" })}
      >
        {t(label)}
        <span aria-hidden="true">{key === sort ? (order === "asc" ? " ▲" : " ▼") : ""}</span>
      </button>
    ),
  });
  const columns: Column<ProjectSummary>[] = [
    { ...sortable("projects.code", "code"), cell: (p) => p.code },
    { ...sortable("projects.name", "name"), cell: (p) => <Link to={`/proyek/${p.id}`}>{p.name}</Link> },
    { header: t("projects.contractor"), cell: (p) => p.contractor },
    { header: t("projects.district"), cell: (p) => p.districtName ?? p.districtCode },
    { ...sortable("projects.value", "contract_value"), numeric: true, cell: (p) => rp(p.contractValue) },
    { ...sortable("projects.start", "spmk_date"), cell: (p) => date(p.spmkDate) },
    { ...sortable("projects.end", "end_date"), cell: (p) => date(p.endDate) },
    {
      header: t("projects.registration"),
      cell: (p) => p.registrationNo ?? <span className="badge bad">{t("projects.notRegistered")}</span>,
    },
  ];
  const list = useQuery({
    queryKey: ["projects", q, page, sort, order],
    queryFn: () => api<ProjectPage>(`/api/v1/projects${qs({ q, page, pageSize: PAGE_SIZE, sort, order })}`),
    placeholderData: keepPreviousData,
  });
  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) v ? next.set(k, v) : next.delete(k);
    setParams(next, { replace: true });
  };

  return (
    <section>
      <div className="page-head">
        <h1>{t("projects.title")}</h1>
        {mayRegisterProject(me.role) ? (
          <Link className="button" to="/proyek/baru">
            {t("projects.add")}
          </Link>
        ) : null}
      </div>
      <SearchForm label={t("projects.searchLabel")} value={q} onSearch={(v) => set({ q: v, page: "" })} />
      {/* "No data yet" is for a list with nothing in it; a search that finds nothing says so. */}
      <QueryView query={list} isEmpty={(d) => !q && d.items.length === 0}>
        {(d) =>
          d.items.length === 0 ? (
            <Empty>{t("projects.noMatch", { q })}</Empty>
          ) : (
            <>
              <p className="muted">{t("common.total", { count: d.total, formatted: num(d.total) })}</p>
              <DataTable
                label={t("projects.title")}
                rows={d.items}
                rowKey={(p) => p.id}
                columns={columns}
                stacked
              />
              <Pager
                page={page}
                pages={Math.ceil(d.total / d.pageSize)}
                onPage={(n) => set({ page: String(n) })}
              />
            </>
          )
        }
      </QueryView>
    </section>
  );
}
