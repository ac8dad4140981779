import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { api, qs } from "../api.js";
import { QueryView, TableWrap } from "../components/states.js";
import { RequireRole } from "../guard.js";
import { useFormat } from "../i18n.js";
import type { ProjectPage } from "../projects.js";

const PAGE_SIZE = 20;
const COLUMNS = [
  { sort: "code", label: "projects.code" },
  { sort: "name", label: "projects.name" },
  { sort: null, label: "projects.contractor" },
  { sort: null, label: "projects.district" },
  { sort: "contract_value", label: "projects.value" },
  { sort: "spmk_date", label: "projects.start" },
  { sort: "end_date", label: "projects.end" },
  { sort: null, label: "projects.registration" },
] as const;

export default function ProjectsPage() {
  return <RequireRole page="projects">{() => <Projects />}</RequireRole>;
}

function Projects() {
  const { t, num, rp, date } = useFormat();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const page = Number(params.get("page") ?? 1);
  const sort = params.get("sort") ?? "name";
  const order = params.get("order") === "desc" ? "desc" : "asc";
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
      <h1>{t("projects.title")}</h1>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          set({ q: String(new FormData(e.currentTarget).get("q") ?? ""), page: "" });
        }}
      >
        <label>
          {t("projects.searchLabel")}
          <input name="q" type="search" defaultValue={q} />
        </label>
        <button type="submit">{t("common.search")}</button>
      </form>
      <QueryView query={list} isEmpty={(d) => d.items.length === 0}>
        {(d) => {
          const pages = Math.max(1, Math.ceil(d.total / d.pageSize));
          return (
            <>
              <p className="muted">{t("common.total", { count: d.total, formatted: num(d.total) })}</p>
              <TableWrap label={t("projects.title")}>
                <table>
                  <thead>
                    <tr>
                      {COLUMNS.map((c) => (
                        <th
                          key={c.label}
                          scope="col"
                          aria-sort={
                            c.sort === sort ? (order === "asc" ? "ascending" : "descending") : undefined
                          }
                        >
                          {c.sort ? (
                            <button
                              type="button"
                              className="sort"
                              title={t("projects.sortBy", { column: t(c.label) })}
                              onClick={() =>
                                set({
                                  sort: c.sort,
                                  order: c.sort === sort && order === "asc" ? "desc" : "asc",
                                  page: "",
                                })
                              }
                            >
                              {t(c.label)}
                              <span aria-hidden="true">
                                {c.sort === sort ? (order === "asc" ? " ▲" : " ▼") : ""}
                              </span>
                            </button>
                          ) : (
                            t(c.label)
                          )}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {d.items.map((p) => (
                      <tr key={p.id}>
                        <td>{p.code}</td>
                        <td>
                          <Link to={`/proyek/${p.id}`}>{p.name}</Link>
                        </td>
                        <td>{p.contractor}</td>
                        <td>{p.districtName ?? p.districtCode}</td>
                        <td className="num">{rp(p.contractValue)}</td>
                        <td>{date(p.spmkDate)}</td>
                        <td>{date(p.endDate)}</td>
                        <td>
                          {p.registrationNo ?? (
                            <span className="badge bad">{t("projects.notRegistered")}</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
              <nav className="pager" aria-label={t("common.page", { page: num(page), pages: num(pages) })}>
                <button type="button" disabled={page <= 1} onClick={() => set({ page: String(page - 1) })}>
                  {t("common.previous")}
                </button>
                <span>{t("common.page", { page: num(page), pages: num(pages) })}</span>
                <button
                  type="button"
                  disabled={page >= pages}
                  onClick={() => set({ page: String(page + 1) })}
                >
                  {t("common.next")}
                </button>
              </nav>
            </>
          );
        }}
      </QueryView>
    </section>
  );
}
