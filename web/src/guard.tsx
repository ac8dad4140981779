import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { ErrorBox, Loading } from "./components/states.js";
import { useFormat } from "./i18n.js";
import { type Me, mayOpen, type PageKey, useMe } from "./session.js";

/** Shows a page only to a signed-in user whose role may open it; others go to the login page. */
export function RequireRole({ page, children }: { page: PageKey; children: (me: Me) => ReactNode }) {
  const { t } = useFormat();
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading />;
  if (me.error) return <ErrorBox error={me.error} retry={() => void me.refetch()} />;
  if (!me.data)
    return <Navigate to={`/masuk?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (!mayOpen(me.data.role, page))
    return (
      <p className="error" role="alert">
        {t("state.forbidden")}
      </p>
    );
  return <>{children(me.data)}</>;
}
