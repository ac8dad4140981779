import { useFormat } from "../i18n.js";

/** Previous and next page of a long list, with where the reader is ("Halaman 2 dari 15"). */
export function Pager({
  page,
  pages,
  onPage,
}: {
  page: number;
  pages: number;
  onPage: (page: number) => void;
}) {
  const { t, num } = useFormat();
  const last = Math.max(1, pages);
  const where = t("common.page", { page: num(page), pages: num(last) });
  return (
    <nav className="pager" aria-label={where}>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t("common.previous")}
      </button>
      <span>{where}</span>
      <button type="button" disabled={page >= last} onClick={() => onPage(page + 1)}>
        {t("common.next")}
      </button>
    </nav>
  );
}
