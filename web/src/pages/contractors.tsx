import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { api, qs } from "../api.js";
import { QueryView, TableWrap } from "../components/states.js";
import type { ContractorSummary } from "../contractors.js";
import { RequireRole } from "../guard.js";
import { useFormat } from "../i18n.js";
import type { Me } from "../session.js";

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
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ q: String(new FormData(e.currentTarget).get("q") ?? "") }, { replace: true });
        }}
      >
        <label>
          {t("common.search")}
          <input name="q" type="search" defaultValue={q} />
        </label>
        <button type="submit">{t("common.search")}</button>
      </form>
      <QueryView query={list} isEmpty={(d) => d.length === 0}>
        {(rows) => (
          <TableWrap label={t("contractors.title")}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("projects.contractor")}</th>
                  <th scope="col">{t("contractors.nib")}</th>
                  <th scope="col">{t("contractors.projects")}</th>
                  <th scope="col">{t("contractors.workers")}</th>
                  <th scope="col">{t("contractors.findings")}</th>
                  <th scope="col">{t("contractors.clearance")}</th>
                  <th scope="col">{t("contractors.case")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/penyedia/${c.id}`}>{c.name}</Link>
                    </td>
                    <td className="mono">{c.nib}</td>
                    <td className="num">
                      {num(c.activeProjects)} / {num(c.projects)}
                    </td>
                    <td className="num">
                      {num(c.protectedWorkers)} / {num(c.knownWorkers)}
                    </td>
                    <td className="num">{num(c.openFindings)}</td>
                    <td>
                      <ClearanceBadge cleared={c.cleared} />
                    </td>
                    <td>
                      {c.openCase ? (
                        <span className={c.openCase.overdue ? "badge bad" : "badge"}>
                          {t(`cases.stepNames.${c.openCase.step}`)}
                          {c.openCase.overdue ? ` · ${t("cases.overdue")}` : ""}
                        </span>
                      ) : (
                        "–"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </QueryView>
    </section>
  );
}

export function ClearanceBadge({ cleared }: { cleared: boolean }) {
  const { t } = useFormat();
  return (
    <span className={cleared ? "badge ok" : "badge bad"}>
      {cleared ? t("contractors.cleared") : t("contractors.blocked")}
    </span>
  );
}
