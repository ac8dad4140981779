import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** pdftotext (Debian's poppler-utils, installed by .ci/run) reads a PDF back as a person would. */
export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), "pantau-pdf-"));
  try {
    writeFileSync(join(dir, "file.pdf"), pdf);
    return execFileSync("pdftotext", ["-layout", join(dir, "file.pdf"), "-"], { encoding: "utf8" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
