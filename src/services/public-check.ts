import { sql } from "kysely";
import type { Db } from "../db/connection.js";
import { nikVault } from "../db/nik-vault.js";
import type { IsoDate } from "../domain/dates.js";
import { bilingual, DomainError } from "../domain/errors.js";
import { issuingRegency, nikMismatches, parseNik } from "../domain/nik.js";
import { protectsOn, workingOnDate } from "./coverage-sql.js";

/**
 * The public answer (DESIGN.md §1): is the person with this NIK and birth date protected today on an
 * active project, and until when? Nothing else is revealed: an unknown NIK and an unprotected worker
 * get the same "no", so the endpoint cannot be used to probe who is registered. A NIK that cannot be
 * one, or a birth date other than the one the NIK itself encodes, is a typing error, said as such: the
 * input alone shows it, so saying it reveals nothing, where a "no" would tell a worker they are not
 * protected because of a typo. "Until" is the last day the facts known today protect: the end of the
 * coverage period, or the worker's leave day, or, while the contribution is unpaid, its due date (a
 * payment after that day would protect again, but none is known). The answer does not name the project: a NIK's digits encode its
 * holder's birth date, so anyone who has read a KTP can ask, and would learn where its holder works.
 */
export interface PublicCheckAnswer {
  protected: boolean;
  until: string | null;
}

const NO: PublicCheckAnswer = { protected: false, until: null };

export async function publicCheck(
  db: Db,
  input: { nik: string; birthDate: IsoDate },
  today: IsoDate,
): Promise<PublicCheckAnswer> {
  const parsed = parseNik(input.nik, today);
  if (!parsed.ok) throw new DomainError(parsed.code, bilingual(parsed.message), { field: "nik" });
  const [mismatch] = nikMismatches(parsed.value, { birthDate: input.birthDate });
  if (mismatch) throw new DomainError(mismatch.code, bilingual(mismatch.message), { field: "birthDate" });
  const row = await sql<{ until: string }>`
    select least(r.coverage_end, a.left_on, case when paid.amount >= r.contribution_amount
      then r.coverage_end else r.due_date end)::text as until
    from person pe
    join assignment a on a.person_id = pe.id
    join project p on p.regency_code = a.regency_code and p.id = a.project_id
    join project_registration r on r.regency_code = p.regency_code and r.project_id = p.id
    cross join lateral (select coalesce(sum(pay.amount), 0) as amount from payment pay
      where pay.regency_code = p.regency_code and pay.project_id = p.id and pay.paid_on <= ${today}::date) paid
    where pe.home_regency_code = ${issuingRegency(parsed.value.nik)}
      and pe.nik_hash = ${nikVault().hash(parsed.value.nik)} and pe.birth_date = ${input.birthDate}::date
      and ${workingOnDate(today)} and ${protectsOn(today)}
    order by until desc
    limit 1`.execute(db);
  const hit = row.rows[0];
  return hit ? { protected: true, until: hit.until } : NO;
}
