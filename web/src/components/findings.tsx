import { Link } from "react-router";
import { legalBasisIn } from "../../../src/domain/legal-basis.js";
import { useFormat } from "../i18n.js";
import { DataTable } from "./data-table.js";

/** What the table shows of a finding; project, contractor and case answers all carry these fields. */
export interface Finding {
  id: number;
  rule: string;
  severity: string;
  status: string;
  summary: unknown;
  legalBasis: string;
  foundOn: string;
  resolvedOn: string | null;
  projectId?: number | null;
  projectName?: string | null;
}

/** Compliance findings with their legal basis; used on project, contractor and case pages. */
export function FindingsTable({
  findings,
  label,
  showProject = false,
}: {
  findings: Finding[];
  label: string;
  showProject?: boolean;
}) {
  const { t, date, pick, lang } = useFormat();
  return (
    <DataTable
      label={label}
      rows={findings}
      rowKey={(f) => f.id}
      stacked
      columns={[
        { header: t("project.rule"), cell: (f) => pick(f.summary) },
        ...(showProject
          ? [
              {
                header: t("projects.name"),
                cell: (f: Finding) =>
                  f.projectId ? (
                    <Link to={`/proyek/${f.projectId}`}>{f.projectName ?? f.projectId}</Link>
                  ) : (
                    "–"
                  ),
              },
            ]
          : []),
        {
          header: t("project.severity"),
          cell: (f) => <span className={`badge sev-${f.severity}`}>{t(`severity.${f.severity}`)}</span>,
        },
        { header: t("project.status"), cell: (f) => t(`findingStatus.${f.status}`) },
        { header: t("project.legalBasis"), cell: (f) => legalBasisIn(f, lang) },
        { header: t("project.foundOn"), cell: (f) => date(f.foundOn) },
        { header: t("project.resolvedOn"), cell: (f) => date(f.resolvedOn) },
      ]}
    />
  );
}
