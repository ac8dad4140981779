import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { ORGANISATION_KIND_OF_ROLE, ROLES } from "../../../src/domain/access.js";
import type { UserView as User } from "../../../src/services/accounts.js";
import { api, fieldErrors, fieldSayings } from "../api.js";
import { BusyButton } from "../components/busy-button.js";
import { type Column, DataTable } from "../components/data-table.js";
import { Field } from "../components/field.js";
import { ErrorBox, QueryView, useAnnouncement } from "../components/states.js";
import { type Saying, saying, useFieldErrors } from "../field-errors.js";
import { RequireRole } from "../guard.js";
import { addPageStrings, useFormat } from "../i18n.js";
import type { Me, Role } from "../session.js";

addPageStrings("users", {
  id: {
    title: "Pengguna",
    intro:
      "Akun yang dapat masuk ke Pantau Jakon. Menonaktifkan akun atau menetapkan kata sandi baru langsung mengakhiri sesi pengguna itu; setiap perubahan tercatat di jejak audit.",
    name: "Nama",
    email: "Email",
    role: "Peran",
    organisation: "Organisasi",
    region: "Wilayah kerja",
    state: "Status",
    active: "Aktif",
    disabled: "Nonaktif",
    you: "(Anda)",
    disable: "Nonaktifkan",
    enable: "Aktifkan",
    setPassword: "Kata sandi baru",
    savePassword: "Simpan kata sandi",
    cancel: "Batal",
    passwordHint: "Minimal 10 karakter. Sampaikan kepada pengguna lewat jalur yang aman.",
    passwordShort: "Kata sandi minimal 10 karakter.",
    disableDone: "{{name}} dinonaktifkan; sesinya berakhir.",
    tokensRevoked: "{{count}} token API yang dibuatnya dicabut.",
    enableDone: "{{name}} diaktifkan kembali.",
    passwordDone: "Kata sandi {{name}} diganti; sesinya berakhir.",
    add: "Tambah pengguna",
    added: "Pengguna {{email}} ditambahkan.",
    chooseOrganisation: "Pilih organisasi",
    regionHint: "Untuk petugas BPJS: kabupaten (61.03) atau provinsi (61) yang diawasi",
    required: "Wajib diisi.",
    emailInvalid: "Tulis alamat email yang lengkap, mis. nama@kantor.go.id.",
    password: "Kata sandi awal",
  },
  en: {
    title: "Users",
    intro:
      "Accounts that can sign in to Pantau Jakon. Disabling an account or setting a new password ends that user's sessions at once; every change is kept in the audit trail.",
    name: "Name",
    email: "E-mail",
    role: "Role",
    organisation: "Organisation",
    region: "Region overseen",
    state: "Status",
    active: "Active",
    disabled: "Disabled",
    you: "(you)",
    disable: "Disable",
    enable: "Enable",
    setPassword: "New password",
    savePassword: "Save password",
    cancel: "Cancel",
    passwordHint: "At least 10 characters. Give it to the user by a safe channel.",
    passwordShort: "A password has at least 10 characters.",
    disableDone: "{{name}} disabled; their sessions have ended.",
    tokensRevoked: "{{count}} API tokens they created were revoked.",
    enableDone: "{{name}} enabled again.",
    passwordDone: "{{name}}'s password changed; their sessions have ended.",
    add: "Add a user",
    added: "User {{email}} added.",
    chooseOrganisation: "Choose an organisation",
    regionHint: "For BPJS officers: the regency (61.03) or province (61) they oversee",
    required: "Required.",
    emailInvalid: "Write a whole e-mail address, e.g. name@office.go.id.",
    password: "First password",
  },
});

/**
 * The admin's list of accounts (DESIGN §1: the admin manages users): add one, disable or enable it, set a
 * new password. The server decides and records each change; this page only asks.
 */
export default function UsersPage() {
  return <RequireRole page="users">{(me) => <Users me={me} />}</RequireRole>;
}

function Users({ me }: { me: Me }) {
  const { t } = useFormat();
  const users = useQuery({ queryKey: ["users"], queryFn: () => api<User[]>("/api/v1/users") });
  const { announce, region } = useAnnouncement();
  const columns: Column<User>[] = [
    {
      header: t("users.name"),
      cell: (u) => (
        <>
          {u.name} {u.id === me.userId ? <span className="muted">{t("users.you")}</span> : null}
          <div className="muted">{u.email}</div>
        </>
      ),
    },
    { header: t("users.role"), cell: (u) => t(`role.${u.role}`) },
    { header: t("users.organisation"), cell: (u) => u.organisation ?? "–" },
    { header: t("users.region"), cell: (u) => <span className="mono">{u.regionCode ?? "–"}</span> },
    {
      header: t("users.state"),
      cell: (u) =>
        u.disabled ? (
          <span className="badge bad">{t("users.disabled")}</span>
        ) : (
          <span className="badge ok">{t("users.active")}</span>
        ),
    },
    {
      header: "",
      cell: (u) => (u.id === me.userId ? null : <Access user={u} onDone={announce} />),
    },
  ];
  return (
    <section>
      <h1>{t("users.title")}</h1>
      <p className="muted narrow">{t("users.intro")}</p>
      {region}
      <QueryView query={users} isEmpty={(rows) => rows.length === 0}>
        {(rows) => (
          <DataTable
            label={t("users.title")}
            testId="users"
            stacked
            rows={rows}
            rowKey={(u) => u.id}
            columns={columns}
          />
        )}
      </QueryView>
      <AddUser />
    </section>
  );
}

/** Disable or enable an account, or give it a new password typed in place. */
function Access({ user, onDone }: { user: User; onDone: (text: string) => void }) {
  const { t } = useFormat();
  const client = useQueryClient();
  const [typing, setTyping] = useState(false);
  const [password, setPassword] = useState("");
  const [error, setError] = useState("");
  const passwordRef = useRef<HTMLInputElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (typing) passwordRef.current?.focus();
  }, [typing]);
  const change = useMutation({
    mutationFn: (c: { action: "disable" | "enable" } | { action: "password"; password: string }) =>
      api<User & { revokedTokens: number }>(
        `/api/v1/users/${user.id}/${c.action}`,
        c.action === "password" ? { json: { password: c.password } } : { method: "POST" },
      ),
    onSuccess: (changed, c) => {
      const tokens =
        changed.revokedTokens > 0 ? ` ${t("users.tokensRevoked", { count: changed.revokedTokens })}` : "";
      onDone(t(`users.${c.action}Done`, { name: user.name }) + tokens);
      setTyping(false);
      setPassword("");
      void client.invalidateQueries({ queryKey: ["users"] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password.length < 10) {
      setError("users.passwordShort"); // a key, said in the language shown
      passwordRef.current?.focus();
      return;
    }
    setError("");
    change.mutate({ action: "password", password });
  };
  return (
    <div className="stack">
      <div className="buttons">
        <BusyButton
          busy={change.isPending}
          aria-label={`${user.disabled ? t("users.enable") : t("users.disable")} ${user.name}`}
          onClick={() => change.mutate({ action: user.disabled ? "enable" : "disable" })}
        >
          {user.disabled ? t("users.enable") : t("users.disable")}
        </BusyButton>
        {typing ? null : (
          <button
            ref={openRef}
            type="button"
            className="link"
            aria-label={`${t("users.setPassword")}: ${user.name}`}
            onClick={() => setTyping(true)}
          >
            {t("users.setPassword")}
          </button>
        )}
      </div>
      {typing ? (
        <form
          className="stack"
          noValidate
          onSubmit={submit}
          aria-label={`${t("users.setPassword")}: ${user.name}`}
        >
          <Field
            ref={passwordRef}
            name={`password-${user.id}`}
            label={t("users.setPassword")}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            hint={t("users.passwordHint")}
            error={error ? t(error) : ""}
          />
          <div className="buttons">
            <BusyButton type="submit" busy={change.isPending}>
              {t("users.savePassword")}
            </BusyButton>
            <button
              type="button"
              className="link"
              onClick={() => {
                setTyping(false);
                // Back to the link that opened the form, drawn again on the next render.
                requestAnimationFrame(() => openRef.current?.focus());
              }}
            >
              {t("users.cancel")}
            </button>
          </div>
        </form>
      ) : null}
      {change.error ? <ErrorBox error={change.error} action /> : null}
    </div>
  );
}

const NEW_FIELDS = ["name", "email", "organisationId", "regionCode", "password"] as const;
type NewField = (typeof NEW_FIELDS)[number];

/** Add an account: its organisation is chosen among those of the kind its role needs. */
function AddUser() {
  const { t } = useFormat();
  const client = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [role, setRole] = useState<Role>("contractor");
  const [errors, setErrors] = useFieldErrors<NewField>();
  /** The e-mail of the account just added, said in the language shown. */
  const [added, setAdded] = useState("");
  const kind = ORGANISATION_KIND_OF_ROLE[role];
  const organisations = useQuery({
    queryKey: ["organisations", kind],
    queryFn: () =>
      api<{ id: number; name: string; code: string; regencyCode: string | null }[]>(
        `/api/v1/organisations?kind=${kind}`,
      ),
    enabled: kind !== null,
  });
  const add = useMutation({
    mutationFn: (input: Record<string, unknown>) => api<User>("/api/v1/users", { json: input }),
    onSuccess: (user) => {
      formRef.current?.reset();
      setAdded(user.email);
      void client.invalidateQueries({ queryKey: ["users"] });
    },
    onError: (error) => {
      // A refusal about a field (an e-mail already in use) is said beside it: the reader is taken there.
      const byField = fieldSayings(error);
      setErrors(byField);
      const first = NEW_FIELDS.find((k) => byField[k]);
      if (first) (formRef.current?.elements.namedItem(first) as HTMLElement | null)?.focus();
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setAdded("");
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? "").trim();
    const local: Partial<Record<NewField, Saying>> = {};
    if (!text("name")) local.name = saying("users.required");
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text("email"))) local.email = saying("users.emailInvalid");
    if (kind && !text("organisationId")) local.organisationId = saying("users.required");
    if (role === "bpjs" && !text("regionCode")) local.regionCode = saying("users.required");
    if (String(f.get("password") ?? "").length < 10) local.password = saying("users.passwordShort");
    setErrors(local);
    const first = NEW_FIELDS.find((k) => local[k]);
    if (first) {
      (e.currentTarget.elements.namedItem(first) as HTMLElement | null)?.focus();
      return;
    }
    add.mutate({
      name: text("name"),
      email: text("email"),
      role,
      organisationId: kind ? Number(text("organisationId")) : null,
      regionCode: role === "bpjs" ? text("regionCode") : null,
      password: String(f.get("password")),
    });
  };
  const placed = NEW_FIELDS.some((k) => fieldErrors(add.error)[k]);
  const orgError = errors.organisationId ?? "";
  return (
    <form ref={formRef} className="card narrow stack" noValidate aria-labelledby="add-user" onSubmit={submit}>
      <h2 id="add-user">{t("users.add")}</h2>
      <Field name="name" label={t("users.name")} maxLength={200} error={errors.name ?? ""} />
      <Field name="email" label={t("users.email")} type="email" error={errors.email ?? ""} />
      <label>
        {t("users.role")}
        <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
      </label>
      {kind ? (
        <>
          <label>
            {t("users.organisation")}
            <select
              name="organisationId"
              defaultValue=""
              key={kind}
              aria-invalid={orgError ? true : undefined}
              aria-describedby="organisationId-error"
            >
              <option value="">{t("users.chooseOrganisation")}</option>
              {(organisations.data ?? []).map((o) => (
                <option key={o.id} value={o.id}>
                  {/* A work unit's code is its regency's own: each regency has its PUPR. */}
                  {o.name} ({o.code}
                  {kind === "work_unit" || kind === "enforcer" ? `, ${o.regencyCode ?? "-"}` : ""})
                </option>
              ))}
            </select>
          </label>
          <p id="organisationId-error" className="hint bad" aria-live="polite">
            {orgError}
          </p>
        </>
      ) : null}
      {role === "bpjs" ? (
        <Field
          name="regionCode"
          label={t("users.region")}
          hint={t("users.regionHint")}
          error={errors.regionCode ?? ""}
        />
      ) : null}
      <Field
        name="password"
        label={t("users.password")}
        type="password"
        autoComplete="new-password"
        hint={t("users.passwordHint")}
        error={errors.password ?? ""}
      />
      <BusyButton type="submit" busy={add.isPending}>
        {t("users.add")}
      </BusyButton>
      <div role="status">
        {added ? <p className="success">{t("users.added", { email: added })}</p> : null}
      </div>
      {add.error && !placed ? <ErrorBox error={add.error} action /> : null}
    </form>
  );
}
