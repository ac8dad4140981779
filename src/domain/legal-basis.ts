import type { RuleId } from "./compliance.js";
import type { Bilingual } from "./errors.js";

/**
 * What each compliance rule rests on. A finding stores the Indonesian text (letters and case files are
 * Indonesian); the dashboard shows the English beside the same citations when read in English. Kept
 * apart from the rules so that the dashboard's pages load these lines without the rules' code.
 */
export const LEGAL_BASIS: Record<RuleId, Bilingual> = {
  UNREGISTERED: {
    id: "UU 24/2011 ps. 15 ayat (1) (pemberi kerja wajib mendaftarkan pekerjanya); Permenaker 44/2015 (pendaftaran proyek jasa konstruksi sebelum pekerjaan dimulai)",
    en: "UU 24/2011 art. 15(1) (employers must register their workers); Permenaker 44/2015 (construction projects are registered before work starts)",
  },
  LATE_REGISTRATION: {
    id: "Permenaker 44/2015 (pendaftaran paling lambat 14 hari kerja sejak SPK, sebelum SPMK)",
    en: "Permenaker 44/2015 (registration within 14 working days of the SPK, before the SPMK)",
  },
  ARREARS: {
    id: "UU 24/2011 ps. 19 (pemberi kerja wajib membayar iuran); PP 44/2015 (iuran JKK dan JKM jasa konstruksi)",
    en: "UU 24/2011 art. 19 (employers must pay the contribution); PP 44/2015 (JKK and JKM contributions of construction work)",
  },
  UNDER_REPORTING: {
    id: "UU 24/2011 ps. 15 ayat (2) (data pekerja lengkap dan benar); Permenaker 44/2015",
    en: "UU 24/2011 art. 15(2) (complete and correct worker data); Permenaker 44/2015",
  },
  UNPROTECTED_WORKERS: {
    id: "UU 24/2011 ps. 15; Permenaker 44/2015 (perubahan pekerja dilaporkan paling lambat 7 hari kerja)",
    en: "UU 24/2011 art. 15; Permenaker 44/2015 (changes of workers reported within 7 working days)",
  },
  REPEAT_OFFENDER: {
    id: "PP 86/2013 (sanksi administratif bagi pemberi kerja yang tidak patuh)",
    en: "PP 86/2013 (administrative sanctions for employers who do not comply)",
  },
};

/** A finding's legal basis in the reader's language: the stored text, or its English by the rule. */
export function legalBasisIn(finding: { rule: string; legalBasis: string }, lang: "id" | "en"): string {
  const known = (LEGAL_BASIS as Record<string, Bilingual | undefined>)[finding.rule];
  return lang === "en" && known ? known.en : finding.legalBasis;
}
