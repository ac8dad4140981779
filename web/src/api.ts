import i18next from "i18next";
import { halves } from "../../src/domain/errors.js";

/** The dashboard's one door to the server: JSON in and out, RFC 9457 problems turned into ApiError. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code?: string;
  errors?: { field: string; message: string }[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.title);
  }
  get status() {
    return this.problem.status;
  }
}

/** The server's problem document, or one made from the status when the answer carries none. */
function toError(body: unknown, status: number, statusText: string): ApiError {
  return new ApiError(
    body && typeof (body as Problem).title === "string"
      ? (body as Problem)
      : { type: "about:blank", title: statusText || `HTTP ${status}`, status },
  );
}

export async function api<T>(
  path: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? (init.json === undefined ? "GET" : "POST"),
    credentials: "same-origin",
    headers: {
      accept: "application/json",
      ...(init.json === undefined ? {} : { "content-type": "application/json" }),
      ...init.headers,
    },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  if (!res.ok) throw toError(await res.json().catch(() => null), res.status, res.statusText);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/**
 * May asking again succeed? Not after a refusal (4xx: not found, forbidden, invalid), which stays one
 * until something else changes, except a timeout (408) or a rate limit (429); a network failure or a
 * server error (5xx) may pass.
 */
export function retryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  const { status } = error;
  return status < 400 || status >= 500 || status === 408 || status === 429;
}

/**
 * The server says why in Indonesian, then English, on one line ("Proyek 57 tidak ditemukan / Project 57
 * not found", docs/api.md), for any client; a reader of the dashboard gets the half of the language the
 * page is in, read when shown, so switching the language switches it. A message without both halves
 * (a proxy's, the network's) is shown whole.
 */
export function inLanguage(message: string): string {
  return halves(message)[i18next.language === "en" ? "en" : "id"];
}

/**
 * A problem's field errors by field, for showing each beside its input: "amount" for a rule's own field
 * and "body.amount" for a validation error alike. Several messages for one field are joined.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(fieldSayings(error)).map(([field, say]) => [field, say()]));
}

/**
 * fieldErrors as what to say rather than the words: a form that keeps these shows them in the language
 * switched to after they appeared (web/src/field-errors.ts).
 */
export function fieldSayings(error: unknown): Record<string, () => string> {
  const byField = new Map<string, string[]>();
  if (!(error instanceof ApiError)) return {};
  for (const e of error.problem.errors ?? []) {
    const field = e.field.replace(/^body\./, "");
    byField.set(field, [...(byField.get(field) ?? []), e.message]);
  }
  return Object.fromEntries(
    [...byField].map(([field, messages]) => [field, () => messages.map(inLanguage).join("; ")]),
  );
}

/** A query string from the defined values only. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}

/**
 * Upload a file with progress (fetch cannot report upload progress, XMLHttpRequest can).
 * Resolves with the parsed JSON answer; rejects with ApiError on a problem answer.
 */
export function upload<T>(path: string, file: File, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      const body = xhr.response;
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(toError(body, xhr.status, xhr.statusText));
    };
    xhr.onerror = () => reject(new ApiError({ type: "about:blank", title: "Network error", status: 0 }));
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}
