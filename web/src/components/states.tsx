import type { ReactNode } from "react";
import { ApiError } from "../api.js";
import { useFormat } from "../i18n.js";

export function Loading() {
  const { t } = useFormat();
  return (
    <p className="state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {t("state.loading")}
    </p>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  const { t } = useFormat();
  return <p className="state empty">{children ?? t("state.empty")}</p>;
}

/** An error answer with its field-level details, and a retry where one makes sense. */
export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useFormat();
  const problem = error instanceof ApiError ? error.problem : null;
  return (
    <div className="error" role="alert">
      <p>
        <strong>{t("state.error")}:</strong>{" "}
        {problem?.title ?? (error instanceof Error ? error.message : String(error))}
      </p>
      {problem?.errors?.length ? (
        <ul>
          {problem.errors.map((e) => (
            <li key={`${e.field}:${e.message}`}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      {retry ? (
        <button type="button" onClick={retry}>
          {t("state.retry")}
        </button>
      ) : null}
    </div>
  );
}

/** Loading, error and empty states around a query's data, so every page shows all three the same way. */
export function QueryView<T>({
  query,
  isEmpty,
  children,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined; refetch: () => unknown };
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorBox error={query.error} retry={() => void query.refetch()} />;
  const data = query.data as T;
  if (isEmpty?.(data)) return <Empty />;
  return <>{children(data)}</>;
}

/** A table that scrolls sideways on a phone; focusable so keyboard users can scroll it too. */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
    <section className="table-wrap" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
