package jp.tsunagu.node.vaccination;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.errors.CodedException;

/**
 * What a dose must agree with on the node that records it (and on the home node that receives a
 * partner's): a vaccine of the node's list, a time not in the future nor before the patient's birth,
 * and the next dose number of that vaccine, given after the dose before it. A correction keeps its
 * dose number and stays between its neighbours.
 */
final class DoseRules {

  /** A phone's clock may run a little ahead of the node's. */
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

  private DoseRules() {}

  /**
   * @param correcting the dose a correction replaces, or empty for a new dose
   */
  static void check(Connection c, Dose dose, LocalDate birthDate, Instant now, Optional<DoseSql.Stored> correcting)
      throws SQLException {
    if (VaccineSql.byCode(c, dose.vaccine()).isEmpty()) {
      throw CodedException.invalid("vaccination.unknown_vaccine", "一覧にないワクチンです。ワクチンを選び直してください。");
    }
    if (dose.givenAt().isAfter(now.plus(CLOCK_SKEW))) {
      throw CodedException.invalid("vaccination.date_in_future", "接種日時が未来になっています。");
    }
    if (dose.givenAt().atZone(JAPAN).toLocalDate().isBefore(birthDate)) {
      throw CodedException.invalid("vaccination.date_before_birth", "接種日が生年月日より前になっています。");
    }
    List<DoseSql.Stored> same = DoseSql.ofPatient(c, dose.patientId()).stream()
        .filter(d -> d.vaccine().equals(dose.vaccine()))
        .filter(d -> correcting.map(before -> !before.id().equals(d.id())).orElse(true)).toList();
    int expected = correcting.map(DoseSql.Stored::doseNumber)
        .orElse(same.stream().mapToInt(DoseSql.Stored::doseNumber).max().orElse(0) + 1);
    if (dose.doseNumber() != expected || (correcting.isPresent()
        && !correcting.get().vaccine().equals(dose.vaccine()))) {
      throw CodedException.invalid("vaccination.dose_out_of_order", "このワクチンの次の接種は" + expected + "回目です。");
    }
    for (DoseSql.Stored other : same) {
      Instant at = Instant.parse(other.givenAt());
      boolean earlier = other.doseNumber() < dose.doseNumber();
      if (earlier ? !at.isBefore(dose.givenAt()) : !at.isAfter(dose.givenAt())) {
        throw CodedException.invalid("vaccination.dose_out_of_order",
            other.doseNumber() + "回目の接種日時と前後が合いません。");
      }
    }
  }
}
