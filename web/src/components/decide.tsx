import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { api } from "../api.js";
import { useFormat } from "../i18n.js";
import { BusyButton } from "./busy-button.js";

/** What an officer's decision did, said in the page's live region (or the refusal, as an alert). */
export type Outcome = { ok: true; text: string } | { ok: false; error: unknown };

/**
 * The branch's decision on a contractor's claim (a payment to confirm, a registration to verify): accept
 * it, or reject it with a reason typed in place, which the contractor then reads. The server checks both
 * again. Whatever the answer (also "already decided" by a colleague), `refresh` reloads what shows it.
 */
export function Decide({
  path,
  accept,
  about,
  done,
  onDone,
  refresh,
}: {
  /** The claim's path, e.g. `/api/v1/payment-claims/7`; `/<accept.action>` or `/reject` is added. */
  path: string;
  accept: { action: "confirm" | "verify"; label: string };
  /** Names the claim after each button's label for screen readers (a reference, a project). */
  about: string;
  /** What to say once accepted (given the server's answer) or rejected. */
  done: { accepted: (answer: Record<string, unknown>) => string; rejected: string };
  onDone: (o: Outcome) => void;
  refresh: () => void;
}) {
  const { t } = useFormat();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState("");
  const reasonRef = useRef<HTMLInputElement>(null);
  const rejectRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (rejecting) reasonRef.current?.focus();
  }, [rejecting]);

  const decide = useMutation({
    mutationFn: (d: { kind: "accept" } | { kind: "reject"; reason: string }) =>
      api<Record<string, unknown>>(
        d.kind === "accept" ? `${path}/${accept.action}` : `${path}/reject`,
        d.kind === "reject" ? { json: { reason: d.reason } } : { method: "POST" },
      ),
    onSuccess: (answer, d) => {
      onDone({ ok: true, text: d.kind === "accept" ? done.accepted(answer) : done.rejected });
      refresh();
    },
    onError: (error) => {
      onDone({ ok: false, error });
      refresh();
    },
  });

  const submitReject = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const text = reason.trim();
    if (text.length < 3) {
      setReasonError(t("decide.reasonTooShort"));
      reasonRef.current?.focus();
      return;
    }
    decide.mutate({ kind: "reject", reason: text });
  };
  const named = <span className="visually-hidden"> {about}</span>;

  if (!rejecting)
    return (
      <div className="buttons">
        <BusyButton busy={decide.isPending} onClick={() => decide.mutate({ kind: "accept" })}>
          {accept.label}
          {named}
        </BusyButton>
        <BusyButton ref={rejectRef} busy={decide.isPending} onClick={() => setRejecting(true)}>
          {t("decide.reject")}
          {named}
        </BusyButton>
      </div>
    );
  const errorId = `reject-reason-${path.replaceAll("/", "-")}-error`;
  return (
    <form className="stack" onSubmit={submitReject} noValidate>
      <label>
        {t("decide.rejectReason")}
        {named}
        <input
          ref={reasonRef}
          name="reason"
          value={reason}
          maxLength={500}
          aria-invalid={reasonError ? true : undefined}
          aria-describedby={errorId}
          onChange={(e) => {
            setReason(e.target.value);
            setReasonError("");
          }}
        />
      </label>
      <p id={errorId} className="hint bad" aria-live="polite">
        {reasonError}
      </p>
      <div className="buttons">
        <BusyButton type="submit" busy={decide.isPending}>
          {t("decide.sendReject")}
          {named}
        </BusyButton>
        <button
          type="button"
          onClick={() => {
            setRejecting(false);
            setReason("");
            setReasonError("");
            // Back to the button that opened the reason, which is drawn again on the next render.
            requestAnimationFrame(() => rejectRef.current?.focus());
          }}
        >
          {t("decide.cancel")}
        </button>
      </div>
    </form>
  );
}
