import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { regionByCode, regionTree, searchRegions } from "../../src/services/regions.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

describe.each(backends)("regions [%s]", (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(backend);
  });
  afterAll(() => t.close());

  it("gives a regency with its province and its sub-districts by name, in code order", async () => {
    const sanggau = await regionTree(t.db, "61.03");
    expect(sanggau).toMatchObject({ code: "61.03", level: "regency", name: "Kabupaten Sanggau" });
    expect(sanggau.parents).toEqual([{ code: "61", level: "province", name: "Kalimantan Barat" }]);
    // DESIGN.md §5: Sanggau's 15 sub-districts, whose codes are not contiguous.
    expect(sanggau.children.map((d) => d.code)).toEqual([
      ...Array.from({ length: 13 }, (_, i) => `61.03.${String(i + 1).padStart(2, "0")}`),
      "61.03.20",
      "61.03.21",
    ]);
    expect(sanggau.children.every((d) => d.level === "district")).toBe(true);
    expect(sanggau.children.find((d) => d.code === "61.03.12")?.name).toBe("Balai");
    expect(sanggau.children.find((d) => d.code === "61.03.21")?.name).toBe("Entikong");
  });

  it("gives a sub-district with its regency and province above it (villages are not loaded)", async () => {
    const balai = await regionTree(t.db, "61.03.12");
    expect(balai).toMatchObject({ code: "61.03.12", level: "district", name: "Balai", children: [] });
    expect(balai.parents.map((p) => p.name)).toEqual(["Kalimantan Barat", "Kabupaten Sanggau"]);
  });

  it("gives a province with its regencies and cities", async () => {
    const kalbar = await regionTree(t.db, "61");
    expect(kalbar.parents).toEqual([]);
    expect(kalbar.children.map((r) => r.name)).toContain("Kota Pontianak");
    expect(kalbar.children.every((r) => r.level === "regency" && r.code.startsWith("61."))).toBe(true);
  });

  it("says an unknown code is not found, of the field that named it", async () => {
    await expect(regionTree(t.db, "61.99")).rejects.toMatchObject({
      code: "SCOPE_NOT_FOUND",
      details: { field: "code" },
    });
  });

  it("finds sub-districts by a part of their name in any case, the exact name first, each with where it lies", async () => {
    const found = await searchRegions(t.db, { q: "BaLaI", level: "district", limit: 50 });
    expect(found[0]).toEqual({
      code: "61.03.12",
      level: "district",
      name: "Balai",
      within: "Kabupaten Sanggau, Kalimantan Barat",
    });
    expect(found.length).toBeGreaterThan(1);
    expect(found.every((r) => r.level === "district" && r.name.toLowerCase().includes("balai"))).toBe(true);
    // After the exact names, in code order.
    const rest = found.filter((r) => r.name.toLowerCase() !== "balai").map((r) => r.code);
    expect(rest).toEqual([...rest].sort());
    expect(await searchRegions(t.db, { q: "sanggau", level: "regency", limit: 5 })).toEqual([
      { code: "61.03", level: "regency", name: "Kabupaten Sanggau", within: "Kalimantan Barat" },
    ]);
    expect(
      await searchRegions(t.db, { q: "tidak ada nama seperti ini", level: "district", limit: 5 }),
    ).toEqual([]);
  });

  it("takes a name with LIKE's wildcards as the letters they are", async () => {
    expect(await searchRegions(t.db, { q: "%", level: "district", limit: 5 })).toEqual([]);
    expect(await searchRegions(t.db, { q: "_", level: "district", limit: 5 })).toEqual([]);
  });

  it("finds a region at the level asked for only", async () => {
    expect(await regionByCode(t.db, "61.03.12", "district")).toMatchObject({ name: "Balai" });
    expect(await regionByCode(t.db, "61.03", "district")).toBeUndefined();
  });
});
