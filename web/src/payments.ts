/** The payment answers' types, taken from the services that produce them (type-only: no server code ships). */
import type { QueryClient } from "@tanstack/react-query";
import type { listPayments } from "../../src/services/project-views.js";

export type { PaymentClaimView as PaymentClaim, RecordedPayment } from "../../src/services/payments.js";
/** A project's payment: confirmed (it counts), or a contractor's claim waiting for the branch or rejected. */
export type PaymentRow = Awaited<ReturnType<typeof listPayments>>[number];
export type PaymentStatus = PaymentRow["status"];

/** The branch's queue of contractors' payments (its query key too). */
export const PAYMENT_CLAIMS = "/api/v1/payment-claims";

/** After a payment of a project is recorded or decided: reload everything that shows it. */
export function refreshPayments(client: QueryClient, projectId: number): void {
  for (const queryKey of [
    ["project", String(projectId)],
    ["payments", String(projectId)],
    ["projects"],
    [PAYMENT_CLAIMS],
  ])
    void client.invalidateQueries({ queryKey });
}
