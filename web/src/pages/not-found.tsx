import { Link } from "react-router";
import { useFormat } from "../i18n.js";

export function NotFound() {
  const { t } = useFormat();
  return (
    <section>
      <h1>{t("state.notFound")}</h1>
      <Link to="/">{t("nav.overview")}</Link>
    </section>
  );
}
