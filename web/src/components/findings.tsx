import { Link } from "react-router";
import { useFormat } from "../i18n.js";
import type { Finding } from "../projects.js";
import { TableWrap } from "./states.js";

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
  const { t, date, pick } = useFormat();
  return (
    <TableWrap label={label}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("project.rule")}</th>
            {showProject ? <th scope="col">{t("projects.name")}</th> : null}
            <th scope="col">{t("project.severity")}</th>
            <th scope="col">{t("project.status")}</th>
            <th scope="col">{t("project.legalBasis")}</th>
            <th scope="col">{t("project.foundOn")}</th>
            <th scope="col">{t("project.resolvedOn")}</th>
          </tr>
        </thead>
        <tbody>
          {findings.map((f) => (
            <tr key={f.id}>
              <td>{pick(f.summary)}</td>
              {showProject ? (
                <td>
                  {f.projectId ? (
                    <Link to={`/proyek/${f.projectId}`}>{f.projectName ?? f.projectId}</Link>
                  ) : (
                    "–"
                  )}
                </td>
              ) : null}
              <td>
                <span className={`badge sev-${f.severity}`}>{t(`severity.${f.severity}`)}</span>
              </td>
              <td>{t(`findingStatus.${f.status}`)}</td>
              <td>{f.legalBasis}</td>
              <td>{date(f.foundOn)}</td>
              <td>{date(f.resolvedOn)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
