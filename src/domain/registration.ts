import { addDays, type IsoDate, maxDate } from "./dates.js";
import { DomainError } from "./errors.js";

/**
 * Registering a construction project with BPJS: the coverage period and payment due date.
 * Protection starts on the registration date (it is never back-dated) and ends with the contract.
 * The due date is a setting: BPJS's branch policy, not a number in the regulation.
 */
export interface RegistrationSettings {
  paymentDueDays: number;
}

export const DEFAULT_REGISTRATION_SETTINGS: RegistrationSettings = { paymentDueDays: 30 };

/**
 * `payableFrom` is the day the contribution can first be paid, when that is later than the registration:
 * a contractor's registration is paid into once the branch has verified it, so its due date counts from
 * the verification, while protection still starts on the day it was filed.
 */
export function registrationPeriod(
  project: { spkDate: IsoDate; endDate: IsoDate },
  registeredOn: IsoDate,
  settings: RegistrationSettings = DEFAULT_REGISTRATION_SETTINGS,
  payableFrom: IsoDate = registeredOn,
): { coverageStart: IsoDate; coverageEnd: IsoDate; dueDate: IsoDate } {
  if (registeredOn < project.spkDate) {
    throw new DomainError("REGISTRATION_BEFORE_SPK", "Pendaftaran tidak boleh sebelum tanggal SPK", {
      registeredOn,
      spkDate: project.spkDate,
    });
  }
  if (registeredOn > project.endDate) {
    throw new DomainError(
      "REGISTRATION_AFTER_END",
      "Proyek sudah selesai; pendaftaran tidak lagi melindungi pekerja",
      {
        registeredOn,
        endDate: project.endDate,
      },
    );
  }
  return {
    coverageStart: registeredOn,
    coverageEnd: project.endDate,
    dueDate: addDays(maxDate(registeredOn, payableFrom), settings.paymentDueDays),
  };
}

/** Registration number: branch-readable, unique per regency because it embeds the project id. */
export function registrationNumber(regencyCode: string, registeredOn: IsoDate, projectId: number): string {
  return `JK-${regencyCode.replace(".", "")}-${registeredOn.slice(0, 4)}-${String(projectId).padStart(6, "0")}`;
}
