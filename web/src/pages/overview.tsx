import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { Link, Navigate, useSearchParams } from "react-router";
import { regionLevel } from "../../../src/domain/regions.js";
import { api, qs } from "../api.js";
import { type Column, DataTable } from "../components/data-table.js";
import { Loading, QueryView } from "../components/states.js";
import { type Coverage, type CoveragePlan, type CoverageRow, defaultScope } from "../coverage.js";
import { RequireRole } from "../guard.js";
import { useFormat } from "../i18n.js";
import { homeOf, type Me, mayExportMonev, mayOpen, useMe } from "../session.js";

// ECharts is the largest library here, so it is a chunk of its own, fetched at start-up when the overview
// is the page being opened (see main.tsx), before the figures' queries keep the server busy, rather
// than when the first chart mounts. A plain state update, not React.lazy: Suspense would hold the
// charts back to batch their reveal.
type ChartComponent = typeof import("../components/chart.js").default;
let chartModule: Promise<ChartComponent> | null = null;
export const loadChart = () => {
  chartModule ??= import("../components/chart.js").then((m) => m.default);
  return chartModule;
};

function Chart(props: { option: Record<string, unknown>; label: string; height?: number }) {
  const [Loaded, setLoaded] = useState<ChartComponent | null>(null);
  useEffect(() => {
    let live = true;
    void loadChart().then((c) => live && setLoaded(() => c));
    return () => {
      live = false;
    };
  }, []);
  return Loaded ? <Loaded {...props} /> : <div className="chart" style={{ height: props.height ?? 280 }} />;
}

const PROTECTED_COLOUR = "#1b7f4b";
const GAP_COLOUR = "#b3261e";

export function OverviewPage() {
  const me = useMe();
  // A role without an overview (the prosecutor's office) starts on its own first page.
  if (me.data && !mayOpen(me.data.role, "overview")) return <Navigate to={homeOf(me.data.role)} replace />;
  return <RequireRole page="overview">{(user) => <Overview me={user} />}</RequireRole>;
}

function Overview({ me }: { me: Me }) {
  const { t, date: fmtDate } = useFormat();
  const [params, setParams] = useSearchParams();
  const date = params.get("date") ?? me.today;
  // No figures exist for a day that has not come (the server's today, a demo's scenario date): the form
  // refuses one, and one typed into the address is refused the same way rather than shown as a forecast.
  const [dateRefused, setDateRefused] = useState(false);
  const ahead = date > me.today;
  const dateError = dateRefused || ahead ? t("overview.dateAhead", { date: fmtDate(me.today) }) : "";
  // An admin belongs to no region; open on the first region that has a target.
  const targets = useQuery({
    queryKey: ["targets"],
    queryFn: () => api<{ scope: string; id: string; year: number }[]>("/api/v1/targets"),
    enabled: me.role === "admin" && !params.get("region"),
  });
  const adminRegion = params.get("region") ?? targets.data?.find((x) => x.scope === "region")?.id;
  const scope = defaultScope(me, adminRegion);
  if (me.role === "admin" && !scope && targets.isPending) return <Loading />;

  return (
    <section>
      <div className="page-head">
        <h1>{t("overview.title")}</h1>
        <div>
          <form
            className="inline"
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              const next = new URLSearchParams(params);
              next.set("date", String(f.get("date")));
              if (f.get("region")) next.set("region", String(f.get("region")));
              setParams(next);
            }}
          >
            {me.role === "admin" ? (
              <label>
                {t("common.region")}
                <input
                  name="region"
                  defaultValue={adminRegion ?? ""}
                  pattern="\d{2}(\.\d{2}){0,2}"
                  size={8}
                />
              </label>
            ) : null}
            <label>
              {t("common.asOf")}
              <input
                name="date"
                type="date"
                defaultValue={date}
                max={me.today}
                required
                aria-invalid={dateError ? true : undefined}
                aria-describedby="overview-date-error"
                onChange={() => setDateRefused(false)}
                onInvalid={(e) => {
                  // A day after today is said beside the field, in the page's language, not in the
                  // browser's passing bubble; a missing date keeps the browser's own message.
                  if (!e.currentTarget.validity.rangeOverflow) return;
                  e.preventDefault();
                  setDateRefused(true);
                  e.currentTarget.focus();
                }}
              />
            </label>
            <button type="submit">{t("common.show")}</button>
          </form>
          <p id="overview-date-error" className="hint bad" aria-live="polite">
            {dateError}
          </p>
        </div>
      </div>
      {/* The Monev report is a regency's (PP.KK), for a month that has begun. */}
      {!ahead &&
      scope?.scope === "region" &&
      regionLevel(scope.id) === "regency" &&
      date.slice(0, 7) <= me.today.slice(0, 7) &&
      mayExportMonev(me.role) ? (
        <MonevLinks region={scope.id} date={date} />
      ) : null}
      {ahead ? null : scope ? <CoverageView scope={scope} date={date} /> : <p>{t("state.empty")}</p>}
    </section>
  );
}

/** One click to the Monev meeting's report for the month of the date shown (XLSX or PDF). */
function MonevLinks({ region, date }: { region: string; date: string }) {
  const { t, month } = useFormat();
  const period = date.slice(0, 7);
  const href = (format: string) => `/api/v1/reports/monev${qs({ region, period, format })}`;
  return (
    <p className="downloads">
      {t("overview.monev", { month: month(period) })}:{" "}
      <a href={href("xlsx")} download>
        XLSX
      </a>{" "}
      ·{" "}
      <a href={href("pdf")} download>
        PDF
      </a>
    </p>
  );
}

function CoverageView({ scope, date }: { scope: { scope: string; id: string }; date: string }) {
  const { t, num, pct, date: fmtDate } = useFormat();
  const coverage = useQuery({
    queryKey: ["coverage", scope, date, "district"],
    queryFn: () => api<Coverage>(`/api/v1/coverage${qs({ ...scope, date, by: "district", trend: true })}`),
  });
  const byUnit = useQuery({
    queryKey: ["coverage", scope, date, "work_unit"],
    queryFn: () => api<Coverage>(`/api/v1/coverage${qs({ ...scope, date, by: "work_unit", trend: false })}`),
  });
  const plan = useQuery({
    queryKey: ["plan", scope, date],
    queryFn: () => api<CoveragePlan>(`/api/v1/coverage/plan${qs({ ...scope, date })}`),
  });

  return (
    <QueryView query={coverage}>
      {(c) => (
        <>
          <p className="scope-name">
            {c.scope.name} · {fmtDate(c.date)}
          </p>
          <dl className="kpis" data-testid="kpis">
            <Kpi label={t("overview.known")} value={num(c.known)} />
            <Kpi label={t("overview.protected")} value={num(c.protected)} />
            <Kpi label={t("overview.coverage")} value={pct(c.percent)} />
            <Kpi
              label={t("overview.target")}
              value={
                c.target
                  ? // A work unit or project without its own target is measured against its regency's.
                    `${pct(c.target.percent)}${c.target.regencyCode ? ` (${t("overview.regencyTarget")})` : ""}`
                  : t("overview.noTarget")
              }
            />
            <Kpi label={t("overview.gap")} value={c.gap === null ? "–" : num(c.gap)} />
          </dl>
          <p className="headline" data-testid="headline">
            {c.target
              ? t(c.gap ? "overview.headline" : "overview.headlineMet", {
                  known: num(c.known),
                  protected: num(c.protected),
                  percent: pct(c.percent),
                  year: c.date.slice(0, 4),
                  target: pct(c.target.percent),
                  gap: num(c.gap ?? 0),
                })
              : t("overview.headlineNoTarget", {
                  known: num(c.known),
                  protected: num(c.protected),
                  percent: pct(c.percent),
                })}{" "}
            {c.unreported.projects > 0
              ? t("overview.unreported", {
                  projects: num(c.unreported.projects),
                  workers: num(c.unreported.estimatedWorkers),
                })
              : null}
          </p>
          <div className="grid two">
            <figure className="card">
              <figcaption>{t("overview.coverage")}</figcaption>
              <Gauge percent={c.percent ?? 0} target={c.target?.percent ?? null} />
            </figure>
            <figure className="card">
              <figcaption>{t("overview.trend")}</figcaption>
              <Trend trend={c.trend ?? []} target={c.target?.percent ?? null} />
            </figure>
          </div>
          <div className="grid two">
            <Breakdown
              title={t("overview.byDistrict")}
              rows={c.breakdown ?? []}
              target={c.target?.percent ?? null}
            />
            <QueryView query={byUnit}>
              {(u) => (
                <Breakdown
                  title={t("overview.byWorkUnit")}
                  rows={u.breakdown ?? []}
                  target={c.target?.percent ?? null}
                />
              )}
            </QueryView>
          </div>
          {c.target ? (
            <section className="card">
              <h2>{t("overview.planTitle")}</h2>
              <QueryView query={plan}>{(p) => <Plan plan={p} forecast={c.forecast} />}</QueryView>
            </section>
          ) : null}
        </>
      )}
    </QueryView>
  );
}

function Kpi({ label, value }: { label: string; value: string }) {
  return (
    <div className="kpi">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function Gauge({ percent, target }: { percent: number; target: number | null }) {
  const { t, pct } = useFormat();
  const option = useMemo(
    () => ({
      series: [
        {
          type: "gauge",
          min: 0,
          max: 100,
          progress: { show: true, width: 14, itemStyle: { color: PROTECTED_COLOUR } },
          // The band turns from red to green at the target, so the needle shows which side it is on.
          axisLine: {
            lineStyle: {
              width: 14,
              color:
                target === null
                  ? [[1, "#ddd"]]
                  : [
                      [target / 100, "#f3c4c0"],
                      [1, "#cfe8d8"],
                    ],
            },
          },
          pointer: { show: true, width: 4 },
          axisLabel: { distance: 20, fontSize: 11 },
          detail: {
            valueAnimation: false,
            formatter: () => pct(percent),
            fontSize: 22,
            offsetCenter: [0, "70%"],
          },
          data: [{ value: percent }],
        },
      ],
    }),
    [percent, target, pct],
  );
  return (
    <Chart option={option} label={t("overview.gauge", { percent: pct(percent), target: pct(target) })} />
  );
}

function Trend({ trend, target }: { trend: NonNullable<Coverage["trend"]>; target: number | null }) {
  const { t, date, month } = useFormat();
  const option = useMemo(
    () => ({
      grid: { left: 48, right: 16, top: 24, bottom: 32 },
      xAxis: {
        type: "category",
        data: trend.map((p) => month(p.month, true)),
      },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" } },
      series: [
        {
          type: "line",
          name: t("overview.coverage"),
          data: trend.map((p) => p.percent),
          itemStyle: { color: PROTECTED_COLOUR },
        },
        ...(target === null
          ? []
          : [
              {
                type: "line",
                name: t("overview.target"),
                data: trend.map(() => target),
                symbol: "none",
                lineStyle: { color: GAP_COLOUR, type: "dashed" },
              },
            ]),
      ],
    }),
    [trend, target, month, t],
  );
  return (
    <>
      <Chart option={option} label={t("overview.trend")} />
      <details>
        <summary>{t("overview.trend")}</summary>
        <FiguresTable
          label={t("overview.trend")}
          rows={trend}
          rowKey={(p) => p.month}
          first={{ header: t("common.date"), cell: (p) => date(p.date) }}
        />
      </details>
    </>
  );
}

/** Known, protected and coverage per row, after a first column that names the row. */
function FiguresTable<T extends { known: number; protected: number; percent: number | null }>({
  label,
  rows,
  rowKey,
  first,
}: {
  label: string;
  rows: readonly T[];
  rowKey: (row: T) => string;
  first: Column<T>;
}) {
  const { t, num, pct } = useFormat();
  return (
    <DataTable
      label={label}
      rows={rows}
      rowKey={rowKey}
      columns={[
        first,
        { header: t("overview.known"), numeric: true, cell: (r) => num(r.known) },
        { header: t("overview.protected"), numeric: true, cell: (r) => num(r.protected) },
        { header: t("overview.percentCol"), numeric: true, cell: (r) => pct(r.percent) },
      ]}
    />
  );
}

function Breakdown({ title, rows, target }: { title: string; rows: CoverageRow[]; target: number | null }) {
  const { t, pct } = useFormat();
  // Projects without a work unit are one group, code "-", which the server names in Indonesian.
  const sorted = useMemo(
    () =>
      rows
        .map((r) => (r.code === "-" ? { ...r, name: t("overview.noWorkUnit") } : r))
        .sort((a, b) => (a.percent ?? 0) - (b.percent ?? 0)),
    [rows, t],
  );
  const option = useMemo(
    () => ({
      // containLabel makes room for the axis labels only: the right margin holds a full bar's "100,00 %".
      grid: { left: 8, right: 64, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" } },
      yAxis: {
        type: "category",
        data: sorted.map((r) => r.name),
        axisLabel: { width: 140, overflow: "truncate" },
      },
      series: [
        {
          type: "bar",
          data: sorted.map((r) => ({
            value: r.percent ?? 0,
            itemStyle: {
              color: target !== null && (r.percent ?? 0) < target ? GAP_COLOUR : PROTECTED_COLOUR,
            },
          })),
          label: {
            show: true,
            position: "right",
            formatter: (p: { value: number }) => pct(p.value),
            fontSize: 11,
          },
        },
      ],
    }),
    [sorted, target, pct],
  );
  return (
    <figure className="card">
      <figcaption>{title}</figcaption>
      {rows.length === 0 ? (
        <p className="state empty">{t("state.empty")}</p>
      ) : (
        <>
          <Chart option={option} label={title} height={Math.max(200, sorted.length * 26 + 40)} />
          <details>
            <summary>{title}</summary>
            <FiguresTable
              label={title}
              rows={sorted}
              rowKey={(r) => r.key}
              first={{ header: t("overview.name"), cell: (r) => r.name }}
            />
          </details>
        </>
      )}
    </figure>
  );
}

function Plan({ plan, forecast }: { plan: CoveragePlan; forecast: Coverage["forecast"] }) {
  const { t, num, pct, month } = useFormat();
  return (
    <>
      <p data-testid="plan">
        {!plan.gap
          ? t("overview.planMet")
          : plan.reached
            ? t("overview.planReached", {
                count: plan.actions.length,
                gap: num(plan.gap ?? 0),
                percent: pct(plan.after.percent),
              })
            : t("overview.planShort", { percent: pct(plan.after.percent) })}{" "}
        {!forecast || forecast.yearEndPercent === null
          ? null
          : forecast.targetMonth
            ? t("overview.forecastMonth", {
                percent: pct(forecast.yearEndPercent),
                month: month(forecast.targetMonth),
              })
            : t("overview.forecastNever", { percent: pct(forecast.yearEndPercent) })}
      </p>
      {plan.actions.length > 0 ? (
        <DataTable
          label={t("overview.planTitle")}
          stacked
          rows={plan.actions}
          rowKey={(a) => a.projectId}
          columns={[
            {
              header: t("projects.name"),
              cell: (a) => (
                <>
                  <Link to={`/proyek/${a.projectId}`}>{a.name}</Link>
                  <div className="muted">{a.code}</div>
                </>
              ),
            },
            { header: t("projects.contractor"), cell: (a) => a.contractor },
            {
              header: t("overview.action"),
              cell: (a) => a.steps.map((s) => t(`overview.steps.${s}`)).join(" + "),
            },
            { header: t("overview.gain"), numeric: true, cell: (a) => num(a.gained) },
            { header: t("overview.gapAfter"), numeric: true, cell: (a) => num(a.gapAfter) },
          ]}
        />
      ) : null}
    </>
  );
}
