import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import type { listApiTokens } from "../../../src/services/accounts.js";
import { api, fieldErrors } from "../api.js";
import { BusyButton } from "../components/busy-button.js";
import { type Column, DataTable } from "../components/data-table.js";
import { Field } from "../components/field.js";
import { ErrorBox, QueryView, useAnnouncement } from "../components/states.js";
import { RequireRole } from "../guard.js";
import { addPageStrings, useFormat } from "../i18n.js";
import type { Me } from "../session.js";

addPageStrings("tokens", {
  id: {
    title: "Token API",
    intro:
      "Aplikasi absensi atau penggajian Anda dapat melaporkan pekerja langsung ke Pantau Jakon lewat API, dengan token milik perusahaan Anda. Token hanya ditampilkan sekali, saat dibuat: simpan di tempat aman, dan cabut token yang tidak dipakai lagi.",
    docs: "Dokumentasi API",
    name: "Nama token",
    nameHint: "Untuk apa token ini, mis. Aplikasi absensi proyek",
    nameRequired: "Beri nama token ini.",
    create: "Buat token",
    created: "Token “{{name}}” dibuat. Salin sekarang: token ini tidak akan ditampilkan lagi.",
    copy: "Salin token",
    copied: "Token disalin.",
    copyByHand: "Peramban tidak mengizinkan penyalinan otomatis: token sudah dipilih, salin dengan Ctrl+C.",
    example: "Contoh: daftar proyek Anda",
    list: "Token perusahaan",
    prefix: "Awalan",
    createdAt: "Dibuat",
    lastUsed: "Terakhir dipakai",
    never: "Belum pernah",
    state: "Status",
    active: "Aktif",
    revokedOn: "Dicabut {{date}}",
    revoke: "Cabut",
    revokeConfirm: "Cabut “{{name}}”? Aplikasi yang memakainya tidak dapat melapor lagi.",
    revokeYes: "Ya, cabut",
    cancel: "Batal",
    revoked: "Token “{{name}}” dicabut.",
  },
  en: {
    title: "API tokens",
    intro:
      "Your attendance or payroll software can report workers to Pantau Jakon directly through the API, with a token of your company. A token is shown once, when it is created: keep it somewhere safe, and revoke tokens no longer in use.",
    docs: "API documentation",
    name: "Token name",
    nameHint: "What the token is for, e.g. Site attendance app",
    nameRequired: "Give this token a name.",
    create: "Create token",
    created: "Token “{{name}}” created. Copy it now: it will not be shown again.",
    copy: "Copy token",
    copied: "Token copied.",
    copyByHand: "The browser does not allow copying here: the token is selected, copy it with Ctrl+C.",
    example: "Example: list your projects",
    list: "Your company's tokens",
    prefix: "Prefix",
    createdAt: "Created",
    lastUsed: "Last used",
    never: "Never",
    state: "Status",
    active: "Active",
    revokedOn: "Revoked {{date}}",
    revoke: "Revoke",
    revokeConfirm: "Revoke “{{name}}”? Software using it will no longer be able to report.",
    revokeYes: "Yes, revoke",
    cancel: "Cancel",
    revoked: "Token “{{name}}” revoked.",
  },
});

type Token = Awaited<ReturnType<typeof listApiTokens>>[number];

/**
 * A contractor's API tokens (DESIGN §1: workers reported "by API with token"): create one for an
 * integration, see when each was last used, revoke it. The secret is shown once; the server keeps a hash.
 */
export default function TokensPage() {
  return <RequireRole page="tokens">{(me) => <Tokens me={me} />}</RequireRole>;
}

function Tokens({ me }: { me: Me }) {
  const { t, day } = useFormat();
  const path = `/api/v1/organisations/${me.organisationId}/tokens`;
  const tokens = useQuery({ queryKey: ["tokens", path], queryFn: () => api<Token[]>(path) });
  const { announce, clear, region } = useAnnouncement();

  const columns: Column<Token>[] = [
    { header: t("tokens.name"), cell: (k) => k.name },
    { header: t("tokens.prefix"), cell: (k) => <span className="mono">{k.prefix}…</span> },
    { header: t("tokens.createdAt"), cell: (k) => day(k.createdAt) },
    { header: t("tokens.lastUsed"), cell: (k) => (k.lastUsedAt ? day(k.lastUsedAt) : t("tokens.never")) },
    {
      header: t("tokens.state"),
      cell: (k) =>
        k.revokedAt ? (
          <span className="badge bad">{t("tokens.revokedOn", { date: day(k.revokedAt) })}</span>
        ) : (
          <span className="badge ok">{t("tokens.active")}</span>
        ),
    },
    {
      header: "",
      cell: (k) => (k.revokedAt ? null : <Revoke token={k} listKey={path} onDone={announce} />),
    },
  ];

  return (
    <section>
      <h1>{t("tokens.title")}</h1>
      <p className="muted narrow">
        {t("tokens.intro")} <a href="/docs">{t("tokens.docs")}</a>
      </p>
      {region}
      <Create listKey={path} onCreated={announce} onStart={clear} />
      <h2>{t("tokens.list")}</h2>
      <QueryView query={tokens} isEmpty={(rows) => rows.length === 0}>
        {(rows) => (
          <DataTable
            label={t("tokens.list")}
            testId="tokens"
            rows={rows}
            rowKey={(k) => k.id}
            columns={columns}
          />
        )}
      </QueryView>
    </section>
  );
}

/** Name a new token and create it; its secret is shown here once, with a way to copy it. */
function Create({
  listKey,
  onCreated,
  onStart,
}: {
  listKey: string;
  onCreated: (text: string) => void;
  onStart: () => void;
}) {
  const { t } = useFormat();
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState("");
  const [copied, setCopied] = useState("");
  const secretRef = useRef<HTMLElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const create = useMutation({
    mutationFn: (tokenName: string) =>
      api<{ id: number; token: string; prefix: string }>(listKey, { json: { name: tokenName } }),
    onSuccess: (_, tokenName) => {
      setName("");
      setCopied("");
      onCreated(t("tokens.created", { name: tokenName }));
      void client.invalidateQueries({ queryKey: ["tokens", listKey] });
    },
    // A refusal of the name is said beside it: the reader is taken there.
    onError: (error) => {
      if (fieldErrors(error).name) nameRef.current?.focus();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onStart();
    const text = name.trim();
    setNameError(text ? "" : t("tokens.nameRequired"));
    if (text) create.mutate(text);
    else nameRef.current?.focus();
  };
  /** Copy to the clipboard; where the browser offers none (plain HTTP), select the token to copy by hand. */
  const copy = async (secret: string) => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(t("tokens.copied"));
    } catch {
      if (secretRef.current) window.getSelection()?.selectAllChildren(secretRef.current);
      setCopied(t("tokens.copyByHand"));
    }
  };
  const serverError = fieldErrors(create.error).name ?? "";
  const secret = create.data?.token;
  return (
    <>
      <form className="stack narrow" noValidate onSubmit={submit}>
        <Field
          ref={nameRef}
          name="name"
          label={t("tokens.name")}
          value={name}
          maxLength={100}
          onChange={(e) => setName(e.target.value)}
          error={nameError || serverError}
          hint={t("tokens.nameHint")}
        />
        <BusyButton type="submit" busy={create.isPending}>
          {t("tokens.create")}
        </BusyButton>
      </form>
      {create.error && !serverError ? <ErrorBox error={create.error} action /> : null}
      {secret ? (
        <div className="card" data-testid="new-token">
          <p>
            <code ref={secretRef} className="mono secret">
              {secret}
            </code>
          </p>
          <div className="buttons">
            <button type="button" onClick={() => void copy(secret)}>
              {t("tokens.copy")}
            </button>
            <span role="status">{copied}</span>
          </div>
          <p>{t("tokens.example")}</p>
          <pre className="mono">
            {`curl -H "authorization: Bearer ${secret}" \\\n  ${window.location.origin}/api/v1/projects`}
          </pre>
        </div>
      ) : null}
    </>
  );
}

/** Revoke after a second, explicit click: software using the token stops reporting at once. */
function Revoke({
  token,
  listKey,
  onDone,
}: {
  token: Token;
  listKey: string;
  onDone: (text: string) => void;
}) {
  const { t } = useFormat();
  const client = useQueryClient();
  const [asking, setAsking] = useState(false);
  const yesRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) yesRef.current?.focus();
  }, [asking]);
  const revoke = useMutation({
    mutationFn: () => api(`/api/v1/tokens/${token.id}`, { method: "DELETE" }),
    onSuccess: () => {
      onDone(t("tokens.revoked", { name: token.name }));
      void client.invalidateQueries({ queryKey: ["tokens", listKey] });
    },
  });
  if (!asking)
    return (
      <button
        type="button"
        aria-label={`${t("tokens.revoke")} ${token.name}`}
        onClick={() => setAsking(true)}
      >
        {t("tokens.revoke")}
      </button>
    );
  return (
    <div className="stack">
      <span>{t("tokens.revokeConfirm", { name: token.name })}</span>
      <div className="buttons">
        <BusyButton ref={yesRef} busy={revoke.isPending} onClick={() => revoke.mutate()}>
          {t("tokens.revokeYes")}
        </BusyButton>
        <button type="button" className="link" onClick={() => setAsking(false)}>
          {t("tokens.cancel")}
        </button>
      </div>
      {revoke.error ? <ErrorBox error={revoke.error} action /> : null}
    </div>
  );
}
