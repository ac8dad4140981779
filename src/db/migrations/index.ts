import type { Migration } from "kysely/migration";
import * as initial from "./2025_07_01_0000_initial.js";
import * as referenceData from "./2025_07_01_0100_reference_data.js";
import * as accounts from "./2025_08_01_0000_accounts.js";
import * as compliance from "./2025_09_01_0000_compliance.js";
import * as coverageSnapshot from "./2025_10_01_0000_coverage_snapshot.js";
import * as coverageChange from "./2025_11_01_0000_coverage_change.js";
import * as nikAtRest from "./2025_12_01_0000_nik_at_rest.js";
import * as batchRequestHash from "./2025_12_01_0100_report_batch_request_hash.js";
import * as coverageByProject from "./2025_12_01_0200_coverage_by_project.js";
import * as coverageProtectionPerProject from "./2025_12_02_0000_coverage_protection_per_project.js";
import * as coverageTouchedOnce from "./2025_12_02_0100_coverage_touched_once.js";
import * as paymentClaims from "./2025_12_03_0000_payment_claims.js";
import * as registrationClaims from "./2025_12_04_0000_registration_claims.js";
import * as organisationKeys from "./2025_12_05_0000_organisation_keys.js";
import * as projectEdits from "./2025_12_06_0000_project_edits.js";

/** Migrations in order, listed in code so that they run the same under tsx, tests and any bundler. */
export const migrations: Record<string, Migration> = {
  "2025_07_01_0000_initial": initial,
  "2025_07_01_0100_reference_data": referenceData,
  "2025_08_01_0000_accounts": accounts,
  "2025_09_01_0000_compliance": compliance,
  "2025_10_01_0000_coverage_snapshot": coverageSnapshot,
  "2025_11_01_0000_coverage_change": coverageChange,
  "2025_12_01_0000_nik_at_rest": nikAtRest,
  "2025_12_01_0100_report_batch_request_hash": batchRequestHash,
  "2025_12_01_0200_coverage_by_project": coverageByProject,
  "2025_12_02_0000_coverage_protection_per_project": coverageProtectionPerProject,
  "2025_12_02_0100_coverage_touched_once": coverageTouchedOnce,
  "2025_12_03_0000_payment_claims": paymentClaims,
  "2025_12_04_0000_registration_claims": registrationClaims,
  "2025_12_05_0000_organisation_keys": organisationKeys,
  "2025_12_06_0000_project_edits": projectEdits,
};
