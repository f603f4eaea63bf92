package jp.tsunagu.node.family;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import jp.tsunagu.node.reference.ReferenceData;

/**
 * The rules of a planned visit (訪問予定), the same for the team's form on the home node and for a
 * partner's visit the home node receives: a day within a year from today, a window of HH:MM that ends
 * after it starts, a profession of the reference list. A partner's copy takes what the home node took
 * (no today: its clock may be past the day by the time the event arrives).
 */
final class VisitForm {

  private VisitForm() {}

  /**
   * @param today the day the visit may not be before, or empty on a copy
   * @return the visit, or the refusal ({@code family.visit_date_invalid}, {@code family.visit_time_invalid},
   *     {@code family.visit_profession_unknown})
   */
  static VisitSql.Visit checked(String id, String patientId, String date, String from, String to, String profession,
      Optional<LocalDate> today) {
    try {
      LocalDate day = LocalDate.parse(date == null ? "" : date);
      if (!date.matches("\\d{4}-\\d{2}-\\d{2}")
          || today.map(t -> day.isBefore(t) || day.isAfter(t.plusYears(1))).orElse(false)) {
        throw FamilyErrors.visitDateInvalid();
      }
    } catch (DateTimeParseException e) {
      throw FamilyErrors.visitDateInvalid();
    }
    try {
      if (from == null || to == null || !from.matches("\\d{2}:\\d{2}") || !to.matches("\\d{2}:\\d{2}")
          || !LocalTime.parse(from).isBefore(LocalTime.parse(to))) {
        throw FamilyErrors.visitTimeInvalid();
      }
    } catch (DateTimeParseException e) {
      throw FamilyErrors.visitTimeInvalid();
    }
    if (profession == null || ReferenceData.get().profession(profession).isEmpty()) {
      throw FamilyErrors.visitProfessionUnknown();
    }
    return new VisitSql.Visit(id, patientId, date, from, to, profession);
  }
}
