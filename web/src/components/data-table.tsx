import type { ReactNode } from "react";
import { TableWrap } from "./states.js";

export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Right-aligned tabular figures. */
  numeric?: boolean;
  /** `aria-sort` on a sortable column's header. */
  sort?: "ascending" | "descending";
  /** The column's name as text, where its header is a control (a sort button): names a stacked cell. */
  label?: string;
}

/**
 * Every table of the dashboard: column headers with scope, rows, an optional footer, scrolling on a phone.
 * A `stacked` table shows each row as a card of its cells on a phone (each named by its column), for a
 * list too wide for a phone, whose later columns a sideways scroll would put out of sight; its sort
 * buttons stay above the cards.
 */
export function DataTable<T>({
  label,
  columns,
  rows,
  rowKey,
  footer,
  testId,
  stacked,
}: {
  label: string;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string | number;
  footer?: ReactNode;
  testId?: string;
  stacked?: boolean;
}) {
  const align = (c: Column<T>) => (c.numeric ? "num" : undefined);
  // The column's name beside each cell of a stacked row (drawn by styles.css on a phone only).
  const named = (c: Column<T>) =>
    stacked ? (c.label ?? (typeof c.header === "string" ? c.header : undefined)) : undefined;
  return (
    <TableWrap label={label}>
      <table data-testid={testId} className={stacked ? "stacked" : undefined}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a table's columns are fixed, their order is their identity
              <th key={i} scope="col" className={align(c)} aria-sort={c.sort}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c, i) => {
                const name = named(c);
                return (
                  // biome-ignore lint/suspicious/noArrayIndexKey: as above
                  <td key={i} className={align(c)} data-label={name}>
                    {/* one box beside the drawn name, whatever the cell holds */}
                    {name ? <div>{c.cell(row)}</div> : c.cell(row)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
        {footer}
      </table>
    </TableWrap>
  );
}
