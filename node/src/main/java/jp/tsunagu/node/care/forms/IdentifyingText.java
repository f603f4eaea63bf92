package jp.tsunagu.node.care.forms;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The identifying data the node knows for one 主治医意見書 (the patient's name in kanji and kana, whole
 * and family, her address and phone, the writer's name and facility) and where it occurs in a text. A
 * doctor types free text as she likes, so the patient block being left out of a copy is not enough:
 * the same words in 経過及び治療内容 would name her all the same. A one-character family name is not
 * looked for alone (原 would mark every 原因); the whole name still is.
 */
final class IdentifyingText {

  /** The term's kind, shown to the secretariat beside the mark (never the matched text in any log). */
  private final Map<String, String> terms;

  private IdentifyingText(Map<String, String> terms) {
    this.terms = terms;
  }

  /** Knows nothing: for reading a form's texts without marking them. */
  static IdentifyingText none() {
    return new IdentifyingText(Map.of());
  }

  static IdentifyingText of(Connection c, String patientId, String writer, String facility,
      Map<String, String> alsoKnown) throws SQLException {
    Map<String, String> terms = new LinkedHashMap<>();
    alsoKnown.forEach((term, kind) -> {
      add(terms, term, kind);
      add(terms, term == null ? null : term.replaceAll("[\\s　]", ""), kind);
    });
    try (PreparedStatement s = c.prepareStatement("select family_name, given_name, family_kana, given_kana,"
        + " address, phone from patients where id = ?")) {
      s.setString(1, patientId);
      try (ResultSet rs = s.executeQuery()) {
        if (rs.next()) {
          name(terms, rs.getString(1), rs.getString(2), "patient_name");
          name(terms, rs.getString(3), rs.getString(4), "patient_name");
          name(terms, hiragana(rs.getString(3)), hiragana(rs.getString(4)), "patient_name");
          add(terms, rs.getString(5), "address");
          add(terms, rs.getString(6), "phone");
          add(terms, rs.getString(6) == null ? null : rs.getString(6).replaceAll("[^0-9]", ""), "phone");
        }
      }
    }
    add(terms, writer, "doctor_name");
    add(terms, writer == null ? null : writer.replaceAll("[\\s　]", ""), "doctor_name");
    add(terms, facility, "facility_name");
    return new IdentifyingText(terms);
  }

  /** Every occurrence of a known term in {@code text}, in order of position. */
  List<DoctorOpinions.Mark> marks(String text) {
    List<DoctorOpinions.Mark> marks = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return marks;
    }
    terms.forEach((term, kind) -> {
      for (int at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + term.length())) {
        int start = at;
        int end = at + term.length();
        // A shorter term inside a mark already made (the family name in the whole name) adds nothing.
        if (marks.stream().noneMatch(m -> m.start() <= start && end <= m.end())) {
          marks.add(new DoctorOpinions.Mark(start, end, kind));
        }
      }
    });
    marks.sort(java.util.Comparator.comparingInt(DoctorOpinions.Mark::start));
    return marks;
  }

  private static void name(Map<String, String> terms, String family, String given, String kind) {
    if (family == null || given == null) {
      return;
    }
    add(terms, family + given, kind);
    add(terms, family + " " + given, kind);
    add(terms, family + "　" + given, kind);
    if (family.strip().length() >= 2) {
      add(terms, family, kind);
    }
  }

  private static void add(Map<String, String> terms, String term, String kind) {
    if (term != null && term.strip().length() >= 2) {
      terms.putIfAbsent(term.strip(), kind);
    }
  }

  private static String hiragana(String katakana) {
    if (katakana == null) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    katakana.codePoints().forEach(cp -> out.appendCodePoint(cp >= 0x30A1 && cp <= 0x30F6 ? cp - 0x60 : cp));
    return out.toString();
  }
}
