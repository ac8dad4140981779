import { type ReactNode, useRef, useState } from "react";
import { ApiError, inLanguage, retryable } from "../api.js";
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

/**
 * An error answer with its field-level details, and a retry where one could succeed (not after a refusal
 * such as a project one may not see). `action` heads it as a change that was refused ("could not save")
 * rather than data that did not load; `heading` heads it otherwise.
 */
export function ErrorBox({
  error,
  retry,
  action,
  heading,
}: {
  error: unknown;
  retry?: () => void;
  action?: boolean;
  heading?: string;
}) {
  const { t } = useFormat();
  const problem = error instanceof ApiError ? error.problem : null;
  return (
    <div className="error" role="alert">
      <p>
        <strong>{heading ?? (action ? t("state.actionError") : t("state.error"))}:</strong>{" "}
        {problem ? inLanguage(problem.title) : error instanceof Error ? error.message : String(error)}
      </p>
      {problem?.errors?.length ? (
        <ul>
          {problem.errors.map((e) => (
            <li key={`${e.field}:${e.message}`}>
              <code>{e.field}</code>: {inLanguage(e.message)}
            </li>
          ))}
        </ul>
      ) : null}
      {retry && retryable(error) ? (
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

/**
 * A page's live region for what an action did. Focus moves to it: the control acted on may be gone (a
 * revoked token's button, a closed form), and focus left on nothing would fall back to the page's top.
 */
export function useAnnouncement() {
  const [text, setText] = useState("");
  const ref = useRef<HTMLDivElement>(null);
  return {
    announce: (said: string) => {
      setText(said);
      ref.current?.focus();
    },
    clear: () => setText(""),
    region: (
      <div role="status" ref={ref} tabIndex={-1}>
        {text ? <p className="success">{text}</p> : null}
      </div>
    ),
  };
}
