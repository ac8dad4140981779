import { newJoins } from "../bench/report-load.js";
import type { SentBatch } from "./ledger.js";

/** A contractor's site that reports: its project, where it lies, and its API token. */
export interface Site {
  projectId: number;
  districtCode: string;
  token: string;
}

interface Answer {
  batchId: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  replayed: boolean;
}

const NO_ANSWER = Symbol("no answer");

interface Posted extends SentBatch {
  site: Site;
  body: string;
  answer?: Answer;
}

/**
 * Contractors' systems reporting workers over HTTP: one client per site, each sending batches of new
 * joins one after another (client event ids and an Idempotency-Key per batch), as a payroll system
 * would. A batch counts as acknowledged when its 2xx answer arrived. A client stops at its first failed
 * request (the server died under it) and later retries what was not acknowledged, with the same keys.
 */
export class Reporters {
  /** The clients' own view: every batch sent, and whether its answer arrived. */
  readonly sent: Posted[] = [];
  /** Answers that contradict the API's documented behaviour. */
  readonly failures: string[] = [];
  #running: Promise<void>[] = [];
  #stopping = false;
  /** Batches each client has made, across starts: keys never repeat. */
  readonly #made: number[];

  constructor(
    private readonly url: string,
    private readonly sites: readonly Site[],
    private readonly opts: { eventsPerBatch: number; tag: string; pauseMs?: number },
  ) {
    this.#made = sites.map(() => 0);
  }

  start(): void {
    this.#stopping = false;
    this.#running = this.sites.map((site, i) => this.#client(site, i));
  }

  /** Let each client finish the request it has in flight, then stop. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await Promise.all(this.#running);
  }

  async #client(site: Site, client: number): Promise<void> {
    while (!this.#stopping) {
      this.#made[client] = (this.#made[client] ?? 0) + 1;
      const key = `${this.opts.tag}-${client}-${this.#made[client]}`;
      const events = newJoins(site.districtCode, this.opts.eventsPerBatch).map((e, i) => ({
        ...e,
        eventId: `${key}/${i}`,
      }));
      const record: Posted = {
        projectId: site.projectId,
        key,
        eventIds: events.map((e) => e.eventId),
        acked: false,
        site,
        body: JSON.stringify({ events }),
      };
      this.sent.push(record);
      const answer = await this.#post(record, this.url);
      if (!answer || answer === NO_ANSWER) return;
      if (answer.accepted !== events.length || answer.replayed)
        this.failures.push(`batch ${key}: answered ${JSON.stringify(answer)} for ${events.length} new joins`);
      if (this.opts.pauseMs) await new Promise((r) => setTimeout(r, this.opts.pauseMs));
    }
  }

  /** The answer; NO_ANSWER when none came (refused, reset, cut off); null for a non-2xx (recorded). */
  async #post(record: Posted, url: string): Promise<Answer | typeof NO_ANSWER | null> {
    let response: Response;
    try {
      response = await fetch(`${url}/api/v1/projects/${record.projectId}/reports`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${record.site.token}`,
          "content-type": "application/json",
          "idempotency-key": record.key,
        },
        body: record.body,
        signal: AbortSignal.timeout(120_000),
      });
    } catch {
      return NO_ANSWER; // connection refused or reset
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      return NO_ANSWER; // the answer was cut off
    }
    if (!response.ok) {
      this.failures.push(`batch ${record.key}: HTTP ${response.status} ${text.slice(0, 200)}`);
      return null;
    }
    record.acked = true;
    record.answer = JSON.parse(text) as Answer;
    return record.answer;
  }

  /**
   * Send every unacknowledged batch again with its key and body, client by client in order, to the
   * restarted server. A batch the database held must answer `replayed: true` (the first answer);
   * one it did not must be applied now. Then send each client's last acknowledged batch again, which
   * must be a replay too. `stored` holds "projectId|key" of the batches the database held.
   */
  async retry(url: string, stored: ReadonlySet<string>): Promise<{ resent: number; replayed: number }> {
    let resent = 0;
    let replayed = 0;
    const bySite = new Map<Site, Posted[]>();
    for (const r of this.sent) bySite.set(r.site, [...(bySite.get(r.site) ?? []), r]);
    await Promise.all(
      [...bySite.values()].map(async (records) => {
        const again = records.filter((r) => !r.acked);
        const lastAcked = records.filter((r) => r.acked).at(-1);
        for (const r of [...again, ...(lastAcked ? [lastAcked] : [])]) {
          const wasStored = r.acked || stored.has(`${r.projectId}|${r.key}`);
          const first = r.answer;
          // As a client would: a request that got no answer at all is sent again (a connection kept
          // alive from before the crash may be found dead only when used).
          let answer: Answer | typeof NO_ANSWER | null = NO_ANSWER;
          for (let attempt = 0; attempt < 3 && answer === NO_ANSWER; attempt++)
            answer = await this.#post(r, url);
          resent += 1;
          if (answer === NO_ANSWER) this.failures.push(`retry of ${r.key}: no answer, three times`);
          if (!answer || answer === NO_ANSWER) continue;
          if (answer.replayed) replayed += 1;
          const expected = r.eventIds.length;
          if (answer.replayed !== wasStored || answer.accepted !== expected)
            this.failures.push(
              `retry of ${r.key} (${wasStored ? "stored" : "not stored"} before): answered ${JSON.stringify(answer)}`,
            );
          if (first && answer.batchId !== first.batchId)
            this.failures.push(
              `retry of ${r.key}: batch ${answer.batchId}, first answer said ${first.batchId}`,
            );
        }
      }),
    );
    return { resent, replayed };
  }
}
