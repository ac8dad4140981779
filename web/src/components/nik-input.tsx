import type { Ref } from "react";
import { useFormat } from "../i18n.js";

/**
 * The NIK field of the report and public-check forms: digits only, 16 at most, spaces dropped as typed,
 * tied to the message element that explains what is wrong with it.
 */
export function NikInput({
  ref,
  value,
  onChange,
  invalid,
  messageId,
  onBlur,
}: {
  ref?: Ref<HTMLInputElement>;
  value: string;
  onChange: (nik: string) => void;
  invalid: boolean | undefined;
  messageId: string;
  onBlur?: () => void;
}) {
  const { t } = useFormat();
  return (
    <label>
      {t("report.nik")}
      <input
        ref={ref}
        name="nik"
        inputMode="numeric"
        autoComplete="off"
        // Room for a NIK pasted in groups (6103 0112 0385 0012): a cap of 16 would cut its last digits.
        maxLength={32}
        value={value}
        onChange={(e) => onChange(e.target.value.replace(/\s/g, ""))}
        onBlur={onBlur}
        aria-invalid={invalid}
        aria-describedby={messageId}
        required
      />
    </label>
  );
}
