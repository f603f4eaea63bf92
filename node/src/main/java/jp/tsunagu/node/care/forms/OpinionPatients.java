package jp.tsunagu.node.care.forms;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.care.CareContext;

/**
 * The patients a review board's secretariat may pick a 主治医意見書 from: homed on this node, active, with
 * at least one 主治医意見書 filed on the platform, found by the whole name or the family name (kanji,
 * katakana or hiragana) together with the exact birth date, as the emergency search finds people; a name
 * alone finds too many. What is answered is the minimum to tell two people apart: the name, the birth
 * date and the dates of the forms.
 */
final class OpinionPatients {

  /** At most this many people, and this many form dates each. */
  static final int LIMIT = 10;
  static final int FORM_DATES = 5;
  private static final String NAME = "replace(replace(%s, ' ', ''), '　', '')";

  private OpinionPatients() {}

  static List<DoctorOpinions.Candidate> find(Connection c, String name, String birthDate) throws SQLException {
    String compact = Normalizer.normalize(name, Normalizer.Form.NFKC).replaceAll("[\\s　]", "");
    String kana = katakana(compact);
    List<DoctorOpinions.Candidate> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select pt.id, pt.family_name, pt.given_name, pt.birth_date"
        + " from patients pt join care_boards b on b.id = pt.id where b.home_node is null and pt.status = 'active'"
        + " and pt.birth_date = ? and (" + NAME.formatted("pt.family_name || pt.given_name") + " = ?"
        + " or pt.family_name = ? or " + NAME.formatted("pt.family_kana || pt.given_kana") + " = ?"
        + " or pt.family_kana = ?) and exists (select 1 from posts p where p.board_id = pt.id and p.kind = 'form'"
        + " and p.form_type = ? and p.status <> 'deleted' and p.direct = 0)"
        + " order by pt.family_kana, pt.given_kana, pt.id limit ?")) {
      s.setString(1, birthDate);
      s.setString(2, compact);
      s.setString(3, compact);
      s.setString(4, kana);
      s.setString(5, kana);
      s.setString(6, DoctorOpinions.TEMPLATE);
      s.setInt(7, LIMIT);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new DoctorOpinions.Candidate(rs.getString(1), rs.getString(2) + " " + rs.getString(3),
              rs.getString(4), List.of()));
        }
      }
    }
    List<DoctorOpinions.Candidate> withDates = new ArrayList<>();
    for (DoctorOpinions.Candidate candidate : out) {
      withDates.add(new DoctorOpinions.Candidate(candidate.patientId(), candidate.name(), candidate.birthDate(),
          formDates(c, candidate.patientId())));
    }
    return withDates;
  }

  /** Each 主治医意見書's 記入日 as the doctor entered it, or the day it was filed when she left it empty. */
  private static List<String> formDates(Connection c, String patientId) throws SQLException {
    List<String> dates = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select json_extract(p.form_data, '$.values.written_on'),"
        + " p.created_at from posts p where p.board_id = ? and p.kind = 'form' and p.form_type = ?"
        + " and p.status <> 'deleted' and p.direct = 0 order by p.seq desc limit ?")) {
      s.setString(1, patientId);
      s.setString(2, DoctorOpinions.TEMPLATE);
      s.setInt(3, FORM_DATES);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String written = rs.getString(1);
          dates.add(written != null && !written.isBlank() ? written
              : Instant.parse(rs.getString(2)).atZone(CareContext.JAPAN).toLocalDate().toString());
        }
      }
    }
    return dates;
  }

  /** Hiragana as katakana, so かすが and カスガ find the same person (kana is stored in katakana). */
  private static String katakana(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> out.appendCodePoint(cp >= 0x3041 && cp <= 0x3096 ? cp + 0x60 : cp));
    return out.toString();
  }
}
