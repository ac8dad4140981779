import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { parseNik } from "../../../src/domain/nik.js";
import { api } from "../api.js";
import { NikInput } from "../components/nik-input.js";
import { ErrorBox } from "../components/states.js";
import { useFormat } from "../i18n.js";

/** The workers' own page: no login, and no personal data shown back (not even the project). */
export default function CheckPage() {
  const { t, date, pick } = useFormat();
  const [nik, setNik] = useState("");
  const check = useMutation({
    mutationFn: (body: { nik: string; birthDate: string }) =>
      api<{ protected: boolean; until: string | null }>("/api/v1/public/check", {
        json: body,
      }),
  });
  const today = new Date().toISOString().slice(0, 10);
  const parsed = nik.length >= 16 ? parseNik(nik, today) : null;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    check.mutate({ nik, birthDate: String(f.get("birthDate") ?? "") });
  };

  return (
    <section className="narrow">
      <h1>{t("check.title")}</h1>
      <p>{t("check.intro")}</p>
      <form className="stack" onSubmit={submit}>
        <NikInput
          value={nik}
          onChange={setNik}
          invalid={parsed ? !parsed.ok : undefined}
          messageId="check-nik-message"
        />
        <p id="check-nik-message" className={parsed?.ok ? "hint ok" : "hint bad"} aria-live="polite">
          {parsed && !parsed.ok ? pick(parsed.message) : ""}
        </p>
        <label>
          {t("check.birthDate")}
          <input name="birthDate" type="date" required />
        </label>
        <button type="submit" disabled={check.isPending || (parsed !== null && !parsed.ok)}>
          {t("check.submit")}
        </button>
      </form>
      {check.error ? <ErrorBox error={check.error} /> : null}
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
