/** The project answers' types, taken from the services that produce them (type-only: no server code ships). */
import type { listProjects, projectDetail } from "../../src/services/project-views.js";

export type { RowError } from "../../src/domain/worker-report.js";
export type { ProjectSummary } from "../../src/services/project-views.js";
export type { ReportBatchResult as ReportResult } from "../../src/services/worker-reports.js";
export type ProjectPage = Awaited<ReturnType<typeof listProjects>>;
export type ProjectDetail = Awaited<ReturnType<typeof projectDetail>>;
