import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { ApiError, api } from "../api.js";
import { BusyButton } from "../components/busy-button.js";
import { ErrorBox } from "../components/states.js";
import { useFormat } from "../i18n.js";
import { homeOf, type Me, useMe } from "../session.js";

export function LoginPage() {
  const { t } = useFormat();
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (me.data) return <Navigate to={params.get("next") ?? homeOf(me.data.role)} replace />;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await api("/api/v1/auth/login", { json: { email: form.get("email"), password: form.get("password") } });
      const who = await api<Me>("/api/v1/me");
      client.setQueryData(["me"], who);
      navigate(params.get("next") ?? homeOf(who.role), { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <h1>{t("login.title")}</h1>
      <form onSubmit={submit} className="stack">
        <label>
          {t("login.email")}
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          {t("login.password")}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <BusyButton type="submit" busy={busy}>
          {t("login.submit")}
        </BusyButton>
      </form>
      {error ? (
        error instanceof ApiError && error.status === 401 ? (
          <p className="error" role="alert">
            {t("login.failed")}
          </p>
        ) : (
          <ErrorBox error={error} />
        )
      ) : null}
      <p>
        {t("login.publicHint")} <Link to="/cek">{t("nav.check")}</Link>
      </p>
    </section>
  );
}
