/** The contractor answers' types, taken from the service that produces them (type-only). */
import type { clearance } from "../../src/services/cases.js";
import type { contractorDetail } from "../../src/services/contractor-views.js";

export type { ContractorSummary } from "../../src/services/contractor-views.js";
export type ContractorDetail = Awaited<ReturnType<typeof contractorDetail>>;
export type Clearance = Awaited<ReturnType<typeof clearance>>;
