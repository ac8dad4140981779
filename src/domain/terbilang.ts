import angkaTerbilang from "@develoka/angka-terbilang-js";

/**
 * Rupiah in words for letters ("dua juta sembilan ratus lima puluh ribu rupiah"). The library writes
 * "milyar"; official Indonesian (KBBI) spells it "miliar".
 */
export function terbilangRupiah(amount: number): string {
  const words =
    amount === 0 ? "nol" : (angkaTerbilang(String(amount)) as string).replace(/milyar/g, "miliar");
  return `${words} rupiah`;
}
