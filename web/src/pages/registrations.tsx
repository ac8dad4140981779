import { useQueryClient } from "@tanstack/react-query";
import { ClaimsQueue } from "../components/claims-queue.js";
import { Decide, type Outcome } from "../components/decide.js";
import { RequireRole } from "../guard.js";
import { addPageStrings, useFormat } from "../i18n.js";
import { REGISTRATION_CLAIMS, type RegistrationClaim, refreshRegistration } from "../registrations.js";
import { type Me, mayDecideClaim } from "../session.js";

addPageStrings("filings", {
  id: {
    title: "Pendaftaran proyek ke BPJS",
    introBranch:
      "Pendaftaran yang diajukan penyedia jasa baru berlaku setelah petugas BPJS cabang memverifikasinya. Periksa kontrak proyek (nilai, tanggal SPMK), lalu verifikasi, atau tolak dengan alasan. Pendaftaran yang diverifikasi berlaku sejak tanggal diajukan.",
    introContractor:
      "Pendaftaran yang Anda ajukan berlaku setelah petugas BPJS cabang memverifikasinya. Ajukan dari halaman proyek.",
    filter: "Tampilkan",
    filters: { pending: "Menunggu verifikasi", verified: "Diverifikasi", rejected: "Ditolak" },
    project: "Proyek",
    contractValue: "Nilai kontrak",
    spmk: "SPMK",
    registeredOn: "Tanggal daftar",
    basis: "Dasar",
    bases: { contract_value: "Nilai kontrak", wage: "Upah" },
    contribution: "Iuran",
    filedAt: "Diajukan",
    decided: "Diputuskan",
    reason: "Alasan",
    actions: "Tindakan",
    limited:
      "Hanya {{n}} pendaftaran pertama yang ditampilkan; yang berikutnya muncul setelah ini diputuskan.",
  },
  en: {
    title: "Project registrations with BPJS",
    introBranch:
      "Registrations filed by contractors count once a BPJS branch officer verifies them. Check the project's contract (its value, the SPMK date), then verify, or reject saying why. A verified registration counts from the day it was filed.",
    introContractor:
      "The registrations you file count once a BPJS branch officer verifies them. File them from the project's page.",
    filter: "Show",
    filters: { pending: "Awaiting verification", verified: "Verified", rejected: "Rejected" },
    project: "Project",
    contractValue: "Contract value",
    spmk: "SPMK",
    registeredOn: "Registration date",
    basis: "Basis",
    bases: { contract_value: "Contract value", wage: "Wages" },
    contribution: "Contribution",
    filedAt: "Filed",
    decided: "Decided",
    reason: "Reason",
    actions: "Actions",
    limited: "Only the first {{n}} registrations are shown; the next appear once these are decided.",
  },
});

const STATUSES = [
  "pending",
  "verified",
  "rejected",
] as const satisfies readonly RegistrationClaim["status"][];

/**
 * Contractors' registrations with BPJS (DESIGN §1: contractors register projects, the branch verifies
 * the registrations). The branch verifies what matches the contract, or rejects it saying why; a
 * contractor sees its own and what became of them.
 */
export default function RegistrationsPage() {
  return <RequireRole page="registrations">{(me) => <Filings me={me} />}</RequireRole>;
}

function Filings({ me }: { me: Me }) {
  const { t, rp, date } = useFormat();
  return (
    <ClaimsQueue<RegistrationClaim, RegistrationClaim["status"]>
      ns="filings"
      path={REGISTRATION_CLAIMS}
      statuses={STATUSES}
      testId="registration-claims"
      decides={mayDecideClaim(me.role)}
      columns={[
        { header: t("filings.contractValue"), numeric: true, cell: (c) => rp(c.contractValue) },
        { header: t("filings.spmk"), cell: (c) => date(c.spmkDate) },
        { header: t("filings.registeredOn"), cell: (c) => date(c.registeredOn) },
        { header: t("filings.basis"), cell: (c) => t(`filings.bases.${c.basis}`) },
        { header: t("filings.contribution"), numeric: true, cell: (c) => rp(c.contributionAmount) },
      ]}
      decide={(c, announce) => <DecideRegistration claim={c} onDone={announce} />}
    />
  );
}

/** Verify a registration the contractor filed, or reject it saying why. */
export function DecideRegistration({
  claim,
  onDone,
}: {
  claim: { id: number; projectId: number; projectName: string };
  onDone: (o: Outcome) => void;
}) {
  const { t } = useFormat();
  const client = useQueryClient();
  return (
    <Decide
      path={`${REGISTRATION_CLAIMS}/${claim.id}`}
      accept={{ action: "verify", label: t("filing.verify") }}
      about={claim.projectName}
      done={{
        accepted: (answer) =>
          t("filing.verifiedDone", { project: claim.projectName, registrationNo: answer.registrationNo }),
        rejected: t("filing.rejectedDone", { project: claim.projectName }),
      }}
      onDone={onDone}
      refresh={() => refreshRegistration(client, claim.projectId)}
    />
  );
}
