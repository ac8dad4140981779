import type { ComponentProps, ReactNode } from "react";

/** An input's own props, its `ref` included (React 19 passes it as a prop), for focusing it. */
type InputProps = Omit<ComponentProps<"input">, "name" | "aria-invalid" | "aria-describedby">;

/**
 * A labelled input with its message below it: the error when there is one (tied by aria-describedby,
 * announced when it changes), else an optional hint.
 */
export function Field({
  name,
  label,
  error,
  hint,
  ...input
}: { name: string; label: string; error: string; hint?: ReactNode } & InputProps) {
  const id = `${name}-error`;
  return (
    <>
      <label>
        {label}
        <input
          name={name}
          type="text"
          {...input}
          aria-invalid={error ? true : undefined}
          aria-describedby={id}
        />
      </label>
      <p id={id} className={error || !hint ? "hint bad" : "hint ok"} aria-live="polite">
        {error || hint}
      </p>
    </>
  );
}
