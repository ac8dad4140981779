import { describe, expect, it } from "vitest";
import { RULES } from "../../src/domain/compliance.js";
import { LEGAL_BASIS, legalBasisIn } from "../../src/domain/legal-basis.js";

const citations = (text: string) => text.match(/\b(?:UU|PP|Permenaker) \d+\/\d{4}/g) ?? [];

describe("legal basis of the compliance rules", () => {
  it("cites the same regulations, in the same order, in both languages for every rule", () => {
    for (const rule of RULES) {
      const basis = LEGAL_BASIS[rule];
      expect(citations(basis.id).length, rule).toBeGreaterThan(0);
      expect(citations(basis.en), rule).toEqual(citations(basis.id));
    }
  });

  it("shows a finding's stored text in Indonesian and its rule's English in English", () => {
    const stored = { rule: "ARREARS", legalBasis: "UU 24/2011 ps. 19 (teks lama yang tersimpan)" };
    expect(legalBasisIn(stored, "id")).toBe(stored.legalBasis);
    expect(legalBasisIn(stored, "en")).toBe(LEGAL_BASIS.ARREARS.en);
    // A rule this version does not know keeps the text stored with its finding.
    expect(legalBasisIn({ rule: "RETIRED_RULE", legalBasis: "PP 1/2000" }, "en")).toBe("PP 1/2000");
  });
});
