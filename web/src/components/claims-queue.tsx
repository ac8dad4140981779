import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useAddressChoice } from "../address-choice.js";
import { api, qs } from "../api.js";
import { addPageStrings, useFormat } from "../i18n.js";
import { type Column, DataTable } from "./data-table.js";
import type { Outcome } from "./decide.js";
import { ErrorBox, QueryView } from "./states.js";

/** What every contractor's claim has, whatever it claims (a payment, a registration). */
export interface Claim {
  id: number;
  projectId: number;
  projectCode: string;
  projectName: string;
  contractor: string;
  claimedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
}

/** Claims shown at once: the queue's oldest (the API's default); the page says when there are more. */
const LIMIT = 200;

// Loaded with the queues' pages, like a page's own words.
addPageStrings("claimsRegion", {
  id: {
    hint: "Provinsi (61), kabupaten/kota (61.03) atau kecamatan (61.03.01). Kosongkan untuk seluruh wilayah Anda.",
    invalid: "Tulis kode provinsi (61), kabupaten/kota (61.03) atau kecamatan (61.03.01).",
    all: "Semua wilayah",
  },
  en: {
    hint: "A province (61), a regency/city (61.03) or a sub-district (61.03.01). Leave it empty for the whole of your region.",
    invalid: "Write a province (61), regency/city (61.03) or sub-district (61.03.01) code.",
    all: "All regions",
  },
});

/** A province, a regency or a sub-district, as the API's pattern takes them. */
const REGION = /^\d{2}(\.\d{2}){0,2}$/;

/**
 * A queue of contractors' claims the BPJS branch decides (DESIGN §1: it confirms payments and verifies
 * registrations): the pending ones oldest first, with the branch's decision in each row; the decided
 * ones newest first, by whom and, for a rejection, why. A contractor follows its own. `ns` names the
 * page's strings: title, introBranch, introContractor, filter, filters.<status>, filedAt, decided,
 * reason, actions, project, limited.
 */
export function ClaimsQueue<C extends Claim, S extends "pending" | (string & {})>({
  ns,
  path,
  statuses,
  testId,
  decides,
  columns,
  pendingColumns = [],
  decide,
}: {
  ns: string;
  /** The list's path, e.g. `/api/v1/payment-claims`. */
  path: string;
  /** Pending first: the page opens on it. */
  statuses: readonly [S, ...S[]];
  testId: string;
  /** May the signed-in user decide claims (the branch)? */
  decides: boolean;
  /** What this kind of claim says, between its project and the day it was filed. */
  columns: Column<C>[];
  /** Shown with pending claims only (what the decision weighs). */
  pendingColumns?: Column<C>[];
  decide: (claim: C, announce: (o: Outcome) => void) => ReactNode;
}) {
  const { t, day, lang } = useFormat();
  const [params, setParams] = useSearchParams();
  const first = statuses[0];
  const [status, setStatus] = useAddressChoice<S>(
    "status",
    (raw) => statuses.find((s) => s === raw) ?? first,
    first,
  );
  const pending = status === first;
  // The branch narrows its queue to a region; a contractor's queue is its own claims.
  const inUrlRegion = params.get("region") ?? "";
  const region = decides && REGION.test(inUrlRegion) ? inUrlRegion : "";
  const claims = useQuery({
    queryKey: [path, status, region],
    queryFn: () => api<C[]>(`${path}${qs({ status, region, limit: LIMIT })}`),
  });
  /** Change some of the filters in the address, keeping the others. */
  const setFilters = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) v ? next.set(k, v) : next.delete(k);
    setParams(next, { replace: true });
  };
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const announce = (o: Outcome) => {
    setOutcome(o);
    // The row acted on leaves the queue: focus goes to what happened rather than to the page's top.
    statusRef.current?.focus();
  };
  /** A moment on the browser's clock: its day as every date is written, the time under it ("07.51"). */
  const when = (iso: string | null) => {
    if (!iso) return "–";
    const time = new Date(iso).toLocaleTimeString(lang === "id" ? "id-ID" : "en-GB", {
      hour: "2-digit",
      minute: "2-digit",
    });
    return (
      <>
        {day(iso)}
        <div className="muted">{time}</div>
      </>
    );
  };

  const all: Column<C>[] = [
    {
      header: t(`${ns}.project`),
      cell: (c) => (
        <>
          <Link to={`/proyek/${c.projectId}`}>{c.projectName}</Link>
          <div className="muted mono">{c.projectCode}</div>
        </>
      ),
    },
    { header: t("projects.contractor"), cell: (c) => c.contractor },
    ...columns,
    { header: t(`${ns}.filedAt`), cell: (c) => when(c.claimedAt) },
    ...(pending
      ? pendingColumns
      : [
          {
            header: t(`${ns}.decided`),
            cell: (c: C) => (
              <>
                {when(c.decidedAt)}
                {c.decidedBy ? <div className="muted">{c.decidedBy}</div> : null}
              </>
            ),
          },
        ]),
    ...(status === "rejected" ? [{ header: t(`${ns}.reason`), cell: (c: C) => c.reason ?? "–" }] : []),
    ...(decides && pending ? [{ header: t(`${ns}.actions`), cell: (c: C) => decide(c, announce) }] : []),
  ];

  return (
    <section>
      <h1>{t(`${ns}.title`)}</h1>
      <p className="muted">{decides ? t(`${ns}.introBranch`) : t(`${ns}.introContractor`)}</p>
      <fieldset className="choice">
        <legend>{t(`${ns}.filter`)}</legend>
        {statuses.map((s) => (
          <label key={s}>
            <input
              type="radio"
              name="status"
              value={s}
              checked={status === s}
              onChange={() => {
                setStatus(s);
                setOutcome(null);
              }}
            />{" "}
            {t(`${ns}.filters.${s}`)}
          </label>
        ))}
      </fieldset>
      {decides ? (
        <RegionFilter
          value={region}
          onChange={(code) => {
            setOutcome(null);
            setFilters({ region: code });
          }}
        />
      ) : null}
      <div role="status" ref={statusRef} tabIndex={-1}>
        {outcome?.ok ? <p className="success">{outcome.text}</p> : null}
      </div>
      {outcome && !outcome.ok ? <ErrorBox error={outcome.error} action /> : null}
      <QueryView query={claims} isEmpty={(rows) => rows.length === 0}>
        {(rows) => (
          <>
            <DataTable
              label={t(`${ns}.filters.${status}`)}
              testId={testId}
              rows={rows}
              rowKey={(c) => c.id}
              columns={all}
              // On a phone the decision, in the last column, would sit far off to the side: rows stack.
              stacked
            />
            {rows.length >= LIMIT ? <p className="muted">{t(`${ns}.limited`, { n: LIMIT })}</p> : null}
          </>
        )}
      </QueryView>
    </section>
  );
}

/**
 * The region a queue is narrowed to, typed as a Kemendagri code like the overview's region (a branch
 * overseeing several regencies works one at a time); empty for all the user may see.
 */
function RegionFilter({ value, onChange }: { value: string; onChange: (code: string) => void }) {
  const { t } = useFormat();
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const [error, setError] = useState("");
  const apply = (code: string) => {
    const ok = code === "" || REGION.test(code);
    setError(ok ? "" : t("claimsRegion.invalid"));
    if (ok) onChange(code);
  };
  return (
    <>
      <form
        className="inline narrow"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          apply(text.trim());
        }}
      >
        <label>
          {t("common.region")}
          <input
            name="region"
            value={text}
            onChange={(e) => setText(e.target.value)}
            size={8}
            inputMode="decimal"
            aria-invalid={error ? true : undefined}
            aria-describedby="region-error"
          />
        </label>
        <button type="submit">{t("common.show")}</button>
        {value ? (
          <button type="button" className="link" onClick={() => apply("")}>
            {t("claimsRegion.all")}
          </button>
        ) : null}
      </form>
      <p id="region-error" className={error ? "hint bad" : "hint ok"} aria-live="polite">
        {error || t("claimsRegion.hint")}
      </p>
    </>
  );
}
