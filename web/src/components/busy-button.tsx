import type { ComponentProps } from "react";

/**
 * A button whose action is under way: it says so (aria-disabled, drawn dimmed) and ignores further
 * presses, but keeps focus. A `disabled` button would drop it to the page's top while the answer is
 * awaited, and a keyboard or screen-reader user would start again from there (WCAG 2.4.3).
 *
 * For a submit button, cancelling the click also stops the submission: pressing Enter in a field submits
 * a form by clicking its submit button, so a form is not sent twice either way.
 */
export function BusyButton({ busy, onClick, ...button }: ComponentProps<"button"> & { busy: boolean }) {
  return (
    <button
      type="button"
      {...button}
      aria-disabled={busy || undefined}
      onClick={(e) => {
        if (busy) e.preventDefault();
        else onClick?.(e);
      }}
    />
  );
}
