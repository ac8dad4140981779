import { useFormat } from "../i18n.js";

/** A labelled search box that submits on Enter or with its button (lists keep the query in the URL). */
export function SearchForm({
  label,
  value,
  onSearch,
}: {
  label: string;
  value: string;
  onSearch: (q: string) => void;
}) {
  const { t } = useFormat();
  return (
    <form
      className="inline"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(String(new FormData(e.currentTarget).get("q") ?? ""));
      }}
    >
      <label>
        {label}
        <input name="q" type="search" defaultValue={value} />
      </label>
      <button type="submit">{t("common.search")}</button>
    </form>
  );
}
