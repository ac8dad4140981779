import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { ApiError, api, qs } from "../api.js";
import type { Clearance } from "../contractors.js";
import { addPageStrings, useFormat } from "../i18n.js";
import { BusyButton } from "./busy-button.js";
import { Field } from "./field.js";
import { FindingsTable } from "./findings.js";
import { ErrorBox } from "./states.js";

// Loaded with the contractors' page, like a page's own words.
addPageStrings("clearanceByNib", {
  id: {
    title: "Tanya izin pembayaran penyedia mana pun",
    intro:
      "Sebelum membayar termin, periksa penyedia jasa menurut NIB-nya, juga yang tidak mengerjakan proyek OPD Anda.",
    nib: "NIB penyedia jasa",
    ask: "Periksa",
    answer: "{{name}} (NIB {{nib}}), per {{date}}:",
    invalid: "NIB terdiri dari 13 angka.",
    unknown: "Tidak ada penyedia jasa dengan NIB {{nib}}.",
  },
  en: {
    title: "Ask about any contractor's payment",
    intro:
      "Before paying an instalment, check a contractor by its NIB, also one that works on none of your projects.",
    nib: "Contractor's NIB",
    ask: "Check",
    answer: "{{name}} (NIB {{nib}}), on {{date}}:",
    invalid: "An NIB has 13 digits.",
    unknown: "There is no contractor with NIB {{nib}}.",
  },
});

export function ClearanceBadge({ cleared }: { cleared: boolean }) {
  const { t } = useFormat();
  return (
    <span className={cleared ? "badge ok" : "badge bad"}>
      {cleared ? t("contractors.cleared") : t("contractors.blocked")}
    </span>
  );
}

/** The clearance question for any contractor, by NIB (DESIGN §2: a work unit may ask it for any). */
export function ClearanceByNib() {
  const { t, date, rp } = useFormat();
  const answerRef = useRef<HTMLDivElement>(null);
  const fieldRef = useRef<HTMLInputElement>(null);
  const [invalid, setInvalid] = useState("");
  const ask = useMutation({
    mutationFn: (nib: string) => api<Clearance>(`/api/v1/clearance${qs({ nib })}`),
    // The answer replaces what was there: focus follows it, so a screen reader reads it out.
    onSuccess: () => requestAnimationFrame(() => answerRef.current?.focus()),
    onError: (error, nib) => {
      setInvalid(
        error instanceof ApiError && error.problem.status === 404 ? t("clearanceByNib.unknown", { nib }) : "",
      );
      fieldRef.current?.focus();
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const nib = String(new FormData(e.currentTarget).get("nib") ?? "").trim();
    // Checked here as the server would, and said beside the field; a new question clears the old answer.
    ask.reset();
    if (!/^\d{13}$/.test(nib)) {
      setInvalid(t("clearanceByNib.invalid"));
      fieldRef.current?.focus();
      return;
    }
    setInvalid("");
    ask.mutate(nib);
  };
  const a = ask.data;
  return (
    <section className="card" aria-labelledby="clearance-by-nib">
      <h2 id="clearance-by-nib">{t("clearanceByNib.title")}</h2>
      <p className="muted">{t("clearanceByNib.intro")}</p>
      <form className="inline" noValidate onSubmit={submit}>
        <Field
          ref={fieldRef}
          name="nib"
          label={t("clearanceByNib.nib")}
          maxLength={64}
          autoComplete="off"
          inputMode="numeric"
          error={invalid}
        />
        <BusyButton type="submit" busy={ask.isPending}>
          {t("clearanceByNib.ask")}
        </BusyButton>
      </form>
      <div ref={answerRef} tabIndex={-1} data-testid="clearance-by-nib">
        {ask.error && !invalid ? <ErrorBox error={ask.error} action /> : null}
        {a ? (
          <>
            <p>
              {t("clearanceByNib.answer", { name: a.contractor, nib: a.nib, date: date(a.date) })}{" "}
              <ClearanceBadge cleared={a.cleared} />
            </p>
            {a.cleared ? (
              <p>{t("contractors.noReasons")}</p>
            ) : (
              <FindingsTable
                findings={a.reasons.map((r) => ({ ...r, status: "open", resolvedOn: null }))}
                label={t("contractors.reasons")}
                showProject={false}
              />
            )}
            {!a.cleared && a.awaitingConfirmation > 0 ? (
              <p className="muted">
                {t("contractors.awaitingConfirmation", { amount: rp(a.awaitingConfirmation) })}
              </p>
            ) : null}
          </>
        ) : null}
      </div>
    </section>
  );
}
