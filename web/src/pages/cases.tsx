import { useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { api, qs } from "../api.js";
import { BOARD_STEPS, boardOrder, type CaseSummary } from "../cases.js";
import { QueryView } from "../components/states.js";
import { RequireRole } from "../guard.js";
import { useFormat } from "../i18n.js";

export default function CasesPage() {
  return <RequireRole page="cases">{() => <Board />}</RequireRole>;
}

function Board() {
  const { t, num, date } = useFormat();
  const [params, setParams] = useSearchParams();
  const closed = params.get("status") === "closed";
  const cases = useQuery({
    queryKey: ["cases", closed],
    queryFn: () => api<CaseSummary[]>(`/api/v1/cases${qs({ status: closed ? "closed" : "open" })}`),
  });
  const columns = closed ? (["resolved", "closed"] as const) : BOARD_STEPS;
  return (
    <section>
      <h1>{t("cases.title")}</h1>
      <label className="check">
        <input
          type="checkbox"
          checked={closed}
          onChange={(e) => setParams(e.target.checked ? { status: "closed" } : {}, { replace: true })}
        />{" "}
        {t("cases.showClosed")}
      </label>
      <QueryView query={cases} isEmpty={(d) => d.length === 0}>
        {(rows) => (
          <div className="board">
            {columns.map((step) => {
              const inStep = rows.filter((c) => c.step === step).sort(boardOrder);
              return (
                <section key={step} className="column" aria-labelledby={`col-${step}`}>
                  <h2 id={`col-${step}`}>
                    {t(`cases.stepNames.${step}`)} <span className="count">{num(inStep.length)}</span>
                  </h2>
                  <ul>
                    {inStep.map((c) => (
                      <li key={c.id} className={c.overdue ? "case overdue" : "case"}>
                        <Link to={`/kasus/${c.id}`}>{c.contractor}</Link>
                        <div className="muted">
                          {t("cases.opened")} {date(c.openedOn)}
                          {c.deadline ? ` · ${t("cases.deadline")} ${date(c.deadline)}` : ""}
                        </div>
                        <div>
                          {c.overdue ? <span className="badge bad">{t("cases.overdue")}</span> : null}{" "}
                          {c.hasArrears ? <span className="badge warn">{t("cases.arrears")}</span> : null}{" "}
                          <span className="muted">{t("cases.findings", { count: c.findings })}</span>
                        </div>
                      </li>
                    ))}
                  </ul>
                </section>
              );
            })}
          </div>
        )}
      </QueryView>
    </section>
  );
}
