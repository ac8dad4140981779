import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { automaticNote, type CaseAction, FINISHING_ACTIONS } from "../../../src/domain/escalation.js";
import { api } from "../api.js";
import type { CaseDetail } from "../cases.js";
import { BusyButton } from "../components/busy-button.js";
import { FindingsTable } from "../components/findings.js";
import { Empty, ErrorBox, QueryView, useAnnouncement } from "../components/states.js";
import { RequireRole } from "../guard.js";
import { addPageStrings, useFormat } from "../i18n.js";

addPageStrings("caseConfirm", {
  id: {
    question: "{{action}} untuk {{contractor}}? Langkah ini tercatat dan tidak dapat dibatalkan.",
    yes: "Ya, {{action}}",
    cancel: "Batal",
    allPutRight: "Semua temuan telah diperbaiki",
  },
  en: {
    question: "{{action}} for {{contractor}}? The step is recorded and cannot be undone.",
    yes: "Yes, {{action}}",
    cancel: "Cancel",
    allPutRight: "All findings have been put right",
  },
});

export default function CasePage() {
  return <RequireRole page="cases">{() => <Case />}</RequireRole>;
}

function Case() {
  const { id } = useParams();
  const { t, date } = useFormat();
  const detail = useQuery({ queryKey: ["case", id], queryFn: () => api<CaseDetail>(`/api/v1/cases/${id}`) });
  /** A compliance run's own note in the page's language; an officer's note as it was written. */
  const noteIn = (note: string) => {
    const auto = automaticNote(note);
    if (auto?.kind === "opened") return t("cases.findings", { count: auto.findings });
    return auto ? t("caseConfirm.allPutRight") : note;
  };
  // Said here, not in the action form: the step that finishes a case takes the form away with it.
  const told = useAnnouncement();
  return (
    <QueryView query={detail}>
      {(c) => (
        <article>
          <p>
            <Link to="/kasus">← {t("cases.title")}</Link>
          </p>
          <h1>
            {c.contractor} · {t(`cases.stepNames.${c.step}`)}
          </h1>
          <p>
            {t("cases.opened")} {date(c.openedOn)}
            {c.deadline ? ` · ${t("cases.deadline")} ${date(c.deadline)}` : ""}{" "}
            {c.overdue ? <span className="badge bad">{t("cases.overdue")}</span> : null}{" "}
            {c.hasArrears ? <span className="badge warn">{t("cases.arrears")}</span> : null}
          </p>
          {told.region}
          {c.actions.length > 0 ? (
            <Actions
              id={c.id}
              contractor={c.contractor}
              actions={c.actions}
              onDone={(step) => told.announce(t("cases.done", { step: t(`cases.stepNames.${step}`) }))}
            />
          ) : null}
          <section className="card">
            <h2>{t("cases.steps")}</h2>
            <ol className="timeline">
              {c.steps.map((s) => (
                <li key={`${s.step}:${s.takenOn}:${s.documentNo ?? ""}`}>
                  <strong>{t(`cases.stepNames.${s.step}`)}</strong> · {date(s.takenOn)} · {s.actor}
                  {s.documentNo ? (
                    <>
                      {" "}
                      · <span className="mono">{s.documentNo}</span>
                    </>
                  ) : null}
                  {s.deadline ? ` · ${t("cases.deadline")} ${date(s.deadline)}` : ""}
                  {s.note ? <div className="muted">{noteIn(s.note)}</div> : null}
                </li>
              ))}
            </ol>
          </section>
          <section className="card">
            <h2>{t("cases.letters")}</h2>
            {c.letters.length === 0 ? (
              <Empty />
            ) : (
              <ul>
                {c.letters.map((l) => (
                  <li key={l.id}>
                    {t(`cases.stepNames.${l.step}`)} · <span className="mono">{l.number}</span> ·{" "}
                    {date(l.issuedOn)} ·{" "}
                    <a
                      href={`/api/v1/cases/${c.id}/letters/${l.id}`}
                      download={`${l.number.replaceAll("/", "-")}.pdf`}
                    >
                      {t("cases.download")}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="card">
            <h2>{t("project.findings")}</h2>
            {c.findings.length === 0 ? (
              <Empty />
            ) : (
              <FindingsTable findings={c.findings} label={t("project.findings")} />
            )}
          </section>
        </article>
      )}
    </QueryView>
  );
}

/**
 * The actions the escalation ladder allows now; the server checks them again. Each step is for good (a
 * warning letter is issued, a case is referred or closed), so a second, explicit press sends it.
 */
function Actions({
  id,
  contractor,
  actions,
  onDone,
}: {
  id: number;
  contractor: string;
  actions: string[];
  onDone: (step: string) => void;
}) {
  const { t } = useFormat();
  const client = useQueryClient();
  const [note, setNote] = useState("");
  // The message's key, put into words when shown, so that it follows a language switch.
  const [noteError, setNoteError] = useState("");
  const [asking, setAsking] = useState<string | null>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const yesRef = useRef<HTMLButtonElement>(null);
  const buttonsRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (asking) yesRef.current?.focus();
  }, [asking]);
  const act = useMutation({
    mutationFn: (action: string) =>
      api<{ step: string }>(`/api/v1/cases/${id}/actions`, { json: { action, ...(note ? { note } : {}) } }),
    onSuccess: (done) => {
      setNote("");
      setAsking(null);
      onDone(done.step);
      void client.invalidateQueries({ queryKey: ["case", String(id)] });
      void client.invalidateQueries({ queryKey: ["cases"] });
    },
  });
  return (
    <section className="card" aria-labelledby="actions-title">
      <h2 id="actions-title">{t("cases.actionsTitle")}</h2>
      <form className="stack" onSubmit={(e: FormEvent) => e.preventDefault()}>
        <label>
          {t("cases.note")}
          <textarea
            ref={noteRef}
            value={note}
            onChange={(e) => {
              setNote(e.target.value);
              setNoteError("");
            }}
            rows={2}
            maxLength={2000}
            aria-invalid={noteError ? true : undefined}
            aria-describedby="case-note-hint"
          />
        </label>
        <p id="case-note-hint" className={noteError ? "hint bad" : "hint"} aria-live="polite">
          {t(noteError || "cases.noteHint")}
        </p>
        {asking ? (
          <fieldset className="confirm stack">
            <legend>
              {t("caseConfirm.question", { action: t(`cases.actionNames.${asking}`), contractor })}
            </legend>
            <div className="buttons">
              <BusyButton ref={yesRef} busy={act.isPending} onClick={() => act.mutate(asking)}>
                {t("caseConfirm.yes", { action: lowerFirst(t(`cases.actionNames.${asking}`)) })}
              </BusyButton>
              <button
                type="button"
                className="link"
                onClick={() => {
                  const was = asking;
                  setAsking(null);
                  act.reset();
                  // Back to the action that asked, drawn again on the next render.
                  requestAnimationFrame(() =>
                    buttonsRef.current?.querySelector<HTMLButtonElement>(`[data-action="${was}"]`)?.focus(),
                  );
                }}
              >
                {t("caseConfirm.cancel")}
              </button>
            </div>
          </fieldset>
        ) : (
          <div className="buttons" ref={buttonsRef}>
            {actions.map((a) => (
              <button
                key={a}
                type="button"
                data-action={a}
                onClick={() => {
                  // Finishing a case records its outcome; the server refuses it without one too.
                  if (FINISHING_ACTIONS.includes(a as CaseAction) && !note.trim()) {
                    setNoteError("cases.outcomeRequired");
                    noteRef.current?.focus();
                    return;
                  }
                  setAsking(a);
                }}
              >
                {t(`cases.actionNames.${a}`)}
              </button>
            ))}
          </div>
        )}
      </form>
      {act.error ? <ErrorBox error={act.error} action /> : null}
    </section>
  );
}

/** "Kirim Teguran I" → "kirim Teguran I", to follow "Ya, ". */
const lowerFirst = (s: string) => s.charAt(0).toLocaleLowerCase() + s.slice(1);
