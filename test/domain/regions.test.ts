import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  childrenOf,
  displayName,
  isWithin,
  parentOf,
  parseRegionCode,
  type Region,
  type RegionLevel,
  regencyGovernment,
  regencyOf,
  regionCodeFromDigits,
  regionLevel,
} from "../../src/domain/regions.js";
import { domainErrorOf } from "../support/domain-error.js";

function readAreaCsv<T>(file: string): T[] {
  const url = new URL(`../../node_modules/idn-area-data/data/${file}`, import.meta.url);
  return parse(readFileSync(url, "utf8"), { columns: true, skip_empty_lines: true }) as T[];
}

/** DESIGN.md §2: Sanggau's 15 sub-districts (kecamatan), codes not contiguous. */
const SANGGAU_DISTRICTS: [string, string][] = [
  ["61.03.01", "Kapuas"],
  ["61.03.02", "Mukok"],
  ["61.03.03", "Noyan"],
  ["61.03.04", "Jangkang"],
  ["61.03.05", "Bonti"],
  ["61.03.06", "Beduai"],
  ["61.03.07", "Sekayam"],
  ["61.03.08", "Kembayan"],
  ["61.03.09", "Parindu"],
  ["61.03.10", "Tayan Hulu"],
  ["61.03.11", "Tayan Hilir"],
  ["61.03.12", "Balai"],
  ["61.03.13", "Toba"],
  ["61.03.20", "Meliau"],
  ["61.03.21", "Entikong"],
];

const LEVEL_ORDER: RegionLevel[] = ["province", "regency", "district", "village"];

describe("regionLevel", () => {
  it.each([
    ["61", "province"],
    ["61.03", "regency"],
    ["61.03.01", "district"],
    ["61.03.01.2001", "village"],
  ] as const)("%s is a %s", (code, level) => {
    expect(regionLevel(code)).toBe(level);
  });

  it.each([
    "",
    "6",
    "610",
    "6103",
    "61.3",
    "61.03.1",
    "61.03.01.201",
    "61.03.01.20011",
    "61-03",
    "61.03.",
    "ab",
    " 61",
  ])("%j has no Kemendagri shape", (code) => {
    expect(regionLevel(code)).toBeNull();
  });
});

describe("parseRegionCode", () => {
  it("returns level and parent of a well-formed code", () => {
    expect(parseRegionCode("61")).toEqual({ code: "61", level: "province", parentCode: null });
    expect(parseRegionCode("61.03")).toEqual({ code: "61.03", level: "regency", parentCode: "61" });
    expect(parseRegionCode("61.03.21")).toEqual({ code: "61.03.21", level: "district", parentCode: "61.03" });
    expect(parseRegionCode("61.03.01.2001")).toEqual({
      code: "61.03.01.2001",
      level: "village",
      parentCode: "61.03.01",
    });
  });

  it.each(["", "6103", "61.3", "00", "61.00", "61.03.00", "61.03.01.0000", "KAB SANGGAU"])(
    "rejects %j with REGION_CODE_INVALID",
    (code) => {
      const e = domainErrorOf(() => parseRegionCode(code));
      expect(e.code).toBe("REGION_CODE_INVALID");
      expect(e.details).toEqual({ code });
      expect(e.message).toContain(code);
    },
  );
});

describe("parentOf, regencyOf, isWithin", () => {
  it("parentOf climbs one level", () => {
    expect(parentOf("61.03.01.2001")).toBe("61.03.01");
    expect(parentOf("61.03.01")).toBe("61.03");
    expect(parentOf("61.03")).toBe("61");
    expect(parentOf("61")).toBeNull();
  });

  it("regencyOf gives the kabupaten of any code below a province", () => {
    expect(regencyOf("61.03")).toBe("61.03");
    expect(regencyOf("61.03.21")).toBe("61.03");
    expect(regencyOf("61.03.01.2001")).toBe("61.03");
    expect(regencyOf("61.71.01")).toBe("61.71");
  });

  it("regencyOf refuses a province and a malformed code", () => {
    expect(domainErrorOf(() => regencyOf("61")).code).toBe("REGION_NOT_IN_REGENCY");
    expect(domainErrorOf(() => regencyOf("6103")).code).toBe("REGION_CODE_INVALID");
  });

  it("isWithin is reflexive and follows the dotted tree, not string prefixes", () => {
    expect(isWithin("61.03", "61.03")).toBe(true);
    expect(isWithin("61.03.01", "61.03")).toBe(true);
    expect(isWithin("61.03.01.2001", "61")).toBe(true);
    expect(isWithin("61.03", "61.03.01")).toBe(false);
    expect(isWithin("61.04.01", "61.03")).toBe(false);
    // "61.10" starts with the characters "61.1" but is not inside a region "61.1".
    expect(isWithin("61.10.01", "61.1")).toBe(false);
    expect(isWithin("62.03", "6")).toBe(false);
  });

  it("regionCodeFromDigits dots a NIK's first six digits", () => {
    expect(regionCodeFromDigits("61", "03", "01")).toBe("61.03.01");
  });
});

describe("displayName", () => {
  it.each([
    ["KABUPATEN SANGGAU", "Kabupaten Sanggau"],
    ["KALIMANTAN BARAT", "Kalimantan Barat"],
    ["KOTA PONTIANAK", "Kota Pontianak"],
    ["KEPULAUAN BANGKA-BELITUNG", "Kepulauan Bangka-Belitung"],
    ["TOBA (SAMOSIR)", "Toba (Samosir)"],
    ["Tayan Hulu", "Tayan Hulu"],
  ])("%s → %s", (raw, expected) => {
    expect(displayName(raw)).toBe(expected);
  });
});

describe("regencyGovernment", () => {
  it.each([
    ["Kabupaten Sanggau", "Bupati", "Sanggau"],
    ["Kota Pontianak", "Wali Kota", "Pontianak"],
    ["Kota Administrasi Jakarta Pusat", "Wali Kota", "Jakarta Pusat"],
    ["Kabupaten Administrasi Kepulauan Seribu", "Bupati", "Kepulauan Seribu"],
    ["Kabupaten Kota Baru", "Bupati", "Kota Baru"],
  ])("%s: %s of %s", (name, head, place) => {
    expect(regencyGovernment(name)).toEqual({ head, place });
  });

  it("gives every regency and city of idn-area-data a head by its kind and a place without it", () => {
    const regencies = readAreaCsv<{ code: string; name: string }>("regencies.csv");
    expect(regencies.length).toBe(514);
    for (const r of regencies) {
      const name = displayName(r.name);
      const { head, place } = regencyGovernment(name);
      expect(head, name).toBe(r.name.startsWith("KOTA ") ? "Wali Kota" : "Bupati");
      expect(place, name).not.toMatch(/^(Kabupaten|Kota Administrasi|Kota) /);
      expect(name.endsWith(place), name).toBe(true);
    }
  });
});

describe("regions from idn-area-data", () => {
  type DistrictRow = { code: string; regency_code: string; name: string };
  const districts = readAreaCsv<DistrictRow>("districts.csv");
  const asRegion = (r: DistrictRow): Region => ({
    code: r.code,
    parentCode: r.regency_code,
    level: "district",
    name: r.name,
  });

  it("Sanggau (61.03) has exactly the 15 sub-districts of DESIGN.md §2", () => {
    const sanggau = districts.filter((r) => r.regency_code === "61.03");
    expect(sanggau.map((r) => [r.code, r.name]).sort()).toEqual(SANGGAU_DISTRICTS);
  });

  it("childrenOf lists Sanggau's sub-districts in code order, and nothing else", () => {
    const regions = districts.map(asRegion);
    const children = childrenOf(regions, "61.03");
    expect(children.map((r) => [r.code, r.name])).toEqual(SANGGAU_DISTRICTS);
    expect(children.every((r) => r.level === "district" && isWithin(r.code, "61.03"))).toBe(true);
    expect(childrenOf(regions, "61.03.01")).toEqual([]);
    expect(childrenOf(regions, "99.99")).toEqual([]);
  });

  it("childrenOf sorts an unsorted list", () => {
    const shuffled = [...districts.filter((r) => r.regency_code === "61.03")].reverse().map(asRegion);
    expect(childrenOf(shuffled, "61.03").map((r) => r.code)).toEqual(SANGGAU_DISTRICTS.map(([c]) => c));
  });

  it("every district code in the data set parses, and its parent is its regency", () => {
    expect(districts.length).toBeGreaterThan(7000);
    for (const r of districts) {
      const parsed = parseRegionCode(r.code);
      expect(parsed.level).toBe("district");
      expect(parsed.parentCode).toBe(r.regency_code);
      expect(regencyOf(r.code)).toBe(r.regency_code);
    }
  });

  it("the regency and province names title-case as officers expect", () => {
    const regencies = readAreaCsv<{ code: string; province_code: string; name: string }>("regencies.csv");
    const sanggau = regencies.find((r) => r.code === "61.03");
    expect(sanggau?.name).toBe("KABUPATEN SANGGAU");
    expect(sanggau && displayName(sanggau.name)).toBe("Kabupaten Sanggau");
    expect(sanggau && parentOf(sanggau.code)).toBe(sanggau?.province_code);
  });
});

describe("region properties", () => {
  const part = (digits: number) =>
    fc.integer({ min: 1, max: 10 ** digits - 1 }).map((n) => String(n).padStart(digits, "0"));
  const code = fc
    .tuple(part(2), part(2), part(2), part(4), fc.integer({ min: 1, max: 4 }))
    .map(([p, k, c, v, depth]) => [p, k, c, v].slice(0, depth).join("."));

  it("parentOf of a well-formed code is a well-formed code one level up", () => {
    fc.assert(
      fc.property(code, (c) => {
        const level = regionLevel(c);
        expect(level).not.toBeNull();
        const parent = parentOf(c);
        const index = LEVEL_ORDER.indexOf(level as RegionLevel);
        if (index === 0) {
          expect(parent).toBeNull();
        } else {
          expect(parent).not.toBeNull();
          expect(regionLevel(parent as string)).toBe(LEVEL_ORDER[index - 1]);
          expect(isWithin(c, parent as string)).toBe(true);
          expect(isWithin(parent as string, c)).toBe(false);
        }
        expect(parseRegionCode(c).parentCode).toBe(parent);
      }),
    );
  });

  it("regencyOf is an ancestor at regency level for any code below a province", () => {
    fc.assert(
      fc.property(code, (c) => {
        fc.pre(regionLevel(c) !== "province");
        const regency = regencyOf(c);
        expect(regionLevel(regency)).toBe("regency");
        expect(isWithin(c, regency)).toBe(true);
      }),
    );
  });

  it("displayName only changes letter case and is idempotent", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const shown = displayName(s);
        expect(shown.toLowerCase()).toBe(s.toLowerCase());
        expect(displayName(shown)).toBe(shown);
      }),
    );
  });
});
