import type { ComponentProps, ReactNode } from "react";

/** An input's own props, its `ref` included (React 19 passes it as a prop), for focusing it. */
type InputProps = Omit<ComponentProps<"input">, "name" | "aria-invalid" | "aria-describedby">;

/**
 * A labelled input with its message below it: the error when there is one (tied by aria-describedby,
 * announced when it changes), else an optional hint. `suggestions` are offered as the input is typed in
 * (a datalist: each value with what it stands for), while any other text may still be written.
 */
export function Field({
  name,
  label,
  error,
  hint,
  suggestions = [],
  ...input
}: {
  name: string;
  label: string;
  error: string;
  hint?: ReactNode;
  suggestions?: readonly { value: string; label: string }[];
} & InputProps) {
  const id = `${name}-error`;
  const list = `${name}-suggestions`;
  return (
    <>
      <label>
        {label}
        <input
          name={name}
          type="text"
          list={suggestions.length > 0 ? list : undefined}
          {...input}
          aria-invalid={error ? true : undefined}
          aria-describedby={id}
        />
      </label>
      {suggestions.length > 0 ? (
        <datalist id={list}>
          {suggestions.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </datalist>
      ) : null}
      <p id={id} className={error || !hint ? "hint bad" : "hint ok"} aria-live="polite">
        {error || hint}
      </p>
    </>
  );
}
