declare module "@develoka/angka-terbilang-js" {
  /** Indonesian words for a whole number given as a string or number. */
  export default function angkaTerbilang(value: string | number): string;
}
