import { useQueryClient } from "@tanstack/react-query";
import { NavLink, Outlet, useNavigate } from "react-router";
import { api } from "./api.js";
import { setLanguage, useFormat } from "./i18n.js";
import { mayOpen, PAGES, type PageKey, useMe } from "./session.js";

export function Layout() {
  const { t, lang } = useFormat();
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const user = me.data ?? null;

  const logout = async () => {
    await api("/api/v1/auth/logout", { method: "POST" });
    client.clear();
    navigate("/masuk");
  };

  return (
    <>
      <a className="skip" href="#main">
        {t("app.skip")}
      </a>
      <header className="top">
        <div className="brand">
          <NavLink to="/">{t("app.name")}</NavLink>
          <span className="tagline">{t("app.tagline")}</span>
        </div>
        <nav aria-label={t("nav.menu")}>
          <ul>
            {user
              ? (Object.keys(PAGES) as PageKey[])
                  .filter((k) => mayOpen(user.role, k))
                  .map((k) => (
                    <li key={k}>
                      <NavLink to={PAGES[k].path} end={k === "overview"}>
                        {t(`nav.${k}`)}
                      </NavLink>
                    </li>
                  ))
              : null}
            <li>
              <NavLink to="/cek">{t("nav.check")}</NavLink>
            </li>
          </ul>
        </nav>
        <div className="account">
          <button
            type="button"
            className="link"
            lang={lang === "id" ? "en" : "id"}
            aria-label={t("nav.languageLabel")}
            onClick={() => setLanguage(lang === "id" ? "en" : "id")}
          >
            {t("nav.language")}
          </button>
          {user ? (
            <>
              <span className="who">
                {user.name} · {t(`role.${user.role}`)}
              </span>
              <button type="button" onClick={logout}>
                {t("nav.logout")}
              </button>
            </>
          ) : (
            <NavLink to="/masuk">{t("nav.login")}</NavLink>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
