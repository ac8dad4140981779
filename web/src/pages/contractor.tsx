import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { isBlocking } from "../../../src/domain/clearance.js";
import { api, qs } from "../api.js";
import { ClearanceBadge } from "../components/clearance.js";
import { DataTable } from "../components/data-table.js";
import { type Finding, FindingsTable } from "../components/findings.js";
import { Empty, QueryView } from "../components/states.js";
import type { Clearance, ContractorDetail } from "../contractors.js";
import { RequireRole } from "../guard.js";
import { useFormat } from "../i18n.js";
import { type Me, mayOpen } from "../session.js";

export default function ContractorPage() {
  return <RequireRole page="contractors">{(me) => <Contractor me={me} />}</RequireRole>;
}

function Contractor({ me }: { me: Me }) {
  const { id } = useParams();
  const { t, num, date, rp } = useFormat();
  const detail = useQuery({
    queryKey: ["contractor", id, me.today],
    queryFn: () => api<ContractorDetail>(`/api/v1/contractors/${id}${qs({ date: me.today })}`),
  });
  // The clearance answer weighs every open finding, also those on projects this user does not see (a
  // work unit sees its own projects): its reasons are the ones to show. A contractor sees all of its own.
  const asks = me.role !== "contractor";
  const answer = useQuery({
    queryKey: ["clearance", id, me.today],
    queryFn: () => api<Clearance>(`/api/v1/contractors/${id}/clearance`),
    // Only a "hold" has reasons to show.
    enabled: asks && detail.data?.cleared === false,
  });
  return (
    <QueryView query={detail}>
      {(c) => {
        const blocking: Finding[] = asks
          ? (answer.data?.reasons ?? []).map((r) => ({ ...r, status: "open", resolvedOn: null }))
          : c.findings.filter((f) => f.status === "open" && isBlocking(f));
        return (
          <article>
            <p>
              <Link to="/penyedia">← {t("contractors.title")}</Link>
            </p>
            <h1>{c.name}</h1>
            <p className="muted">
              {t("contractors.nib")} <span className="mono">{c.nib}</span> · {num(c.projects)}{" "}
              {t("contractors.projects").toLowerCase()} · {num(c.protectedWorkers)} / {num(c.knownWorkers)}{" "}
              {t("common.workers")}
            </p>
            <section className="card" aria-labelledby="clearance-title">
              <h2 id="clearance-title">
                {t("contractors.clearance")} ({date(me.today)})
              </h2>
              <p data-testid="clearance">
                <ClearanceBadge cleared={c.cleared} />
              </p>
              {c.cleared ? <p>{t("contractors.noReasons")}</p> : <h3>{t("contractors.reasons")}</h3>}
              {!c.cleared && blocking.length > 0 ? (
                <FindingsTable findings={blocking} label={t("contractors.reasons")} showProject={!asks} />
              ) : null}
              {!c.cleared && (answer.data?.awaitingConfirmation ?? 0) > 0 ? (
                <p className="muted" data-testid="awaiting-confirmation">
                  {t("contractors.awaitingConfirmation", {
                    amount: rp(answer.data?.awaitingConfirmation ?? 0),
                  })}
                </p>
              ) : null}
            </section>
            <section className="card">
              <h2>{t("contractors.history")}</h2>
              {c.findings.length === 0 ? (
                <Empty />
              ) : (
                <FindingsTable findings={c.findings} label={t("contractors.history")} showProject />
              )}
            </section>
            <section className="card">
              <h2>{t("contractors.cases")}</h2>
              {c.cases.length === 0 ? (
                <Empty />
              ) : (
                <DataTable
                  label={t("contractors.cases")}
                  rows={c.cases}
                  rowKey={(k) => k.id}
                  columns={[
                    {
                      header: "#",
                      cell: (k) =>
                        mayOpen(me.role, "cases") ? <Link to={`/kasus/${k.id}`}>{k.id}</Link> : k.id,
                    },
                    { header: t("cases.steps"), cell: (k) => t(`cases.stepNames.${k.step}`) },
                    { header: t("cases.opened"), cell: (k) => date(k.openedOn) },
                    { header: t("cases.deadline"), cell: (k) => date(k.deadline) },
                  ]}
                />
              )}
            </section>
          </article>
        );
      }}
    </QueryView>
  );
}
