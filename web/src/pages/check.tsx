import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { parseNik } from "../../../src/domain/nik.js";
import { api, fieldErrors } from "../api.js";
import { BusyButton } from "../components/busy-button.js";
import { Field } from "../components/field.js";
import { NikInput } from "../components/nik-input.js";
import { ErrorBox } from "../components/states.js";
import { addPageStrings, useFormat } from "../i18n.js";
import { useMe } from "../session.js";

addPageStrings("checkPage", {
  id: { refused: "Tidak dapat diperiksa" },
  en: { refused: "Could not check" },
});

const FIELDS = ["nik", "birthDate"] as const;

/** The browser's calendar day (not UTC's: in Jakarta the UTC date is yesterday until 07.00). */
function browserToday(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The workers' own page: no login, and no personal data shown back (not even the project). */
export default function CheckPage() {
  const { t, date, pick } = useFormat();
  const me = useMe();
  const formRef = useRef<HTMLFormElement>(null);
  const [nik, setNik] = useState("");
  // Once the reader has asked, what is wrong with a NIK shorter than 16 digits is said as it is typed too.
  const [asked, setAsked] = useState(false);
  const focus = (field: string) =>
    (formRef.current?.elements.namedItem(field) as HTMLElement | null)?.focus();
  const check = useMutation({
    mutationFn: (body: { nik: string; birthDate: string }) =>
      api<{ protected: boolean; until: string | null }>("/api/v1/public/check", {
        json: body,
      }),
    onError: (error) => {
      const byField = fieldErrors(error);
      const first = FIELDS.find((f) => byField[f]);
      if (first) focus(first);
    },
  });
  // The server's business date (a demo database's is its scenario date) where the visitor is signed in;
  // the public API gives no date to anyone else, so the browser's calendar stands in for it there.
  const today = me.data?.today ?? browserToday();
  const parsed = nik && (nik.length >= 16 || asked) ? parseNik(nik, today) : null;
  // A refusal about a field is said beside it, in place of a list of the API's field names.
  const refused = fieldErrors(check.error);
  const placed = FIELDS.some((f) => refused[f]);
  /** An answer about what was sent is not about what is being typed. */
  const edited = () => {
    if (check.error) check.reset();
  };

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setAsked(true);
    if (!parseNik(nik, today).ok) {
      check.reset();
      focus("nik");
      return;
    }
    const f = new FormData(e.currentTarget);
    check.mutate({ nik, birthDate: String(f.get("birthDate") ?? "") });
  };

  return (
    <section className="narrow">
      <h1>{t("check.title")}</h1>
      <p>{t("check.intro")}</p>
      <form ref={formRef} className="stack" onSubmit={submit}>
        <NikInput
          value={nik}
          onChange={(value) => {
            setNik(value);
            edited();
          }}
          invalid={refused.nik ? true : parsed ? !parsed.ok : undefined}
          messageId="check-nik-message"
        />
        <p
          id="check-nik-message"
          className={parsed?.ok && !refused.nik ? "hint ok" : "hint bad"}
          aria-live="polite"
        >
          {refused.nik || (parsed && !parsed.ok ? pick(parsed.message) : "")}
        </p>
        <Field
          name="birthDate"
          label={t("check.birthDate")}
          type="date"
          required
          onChange={edited}
          error={refused.birthDate ?? ""}
        />
        <BusyButton type="submit" busy={check.isPending}>
          {t("check.submit")}
        </BusyButton>
      </form>
      {check.error && !placed ? <ErrorBox error={check.error} heading={t("checkPage.refused")} /> : null}
      {check.data ? (
        <p
          className={check.data.protected ? "success big" : "error big"}
          role="status"
          data-testid="check-answer"
        >
          {check.data.protected ? t("check.yes", { until: date(check.data.until) }) : t("check.no")}
        </p>
      ) : null}
    </section>
  );
}
