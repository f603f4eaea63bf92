package jp.tsunagu.node.identity;

import java.util.Optional;
import jp.tsunagu.node.feature.CodedChoice;

/** What a user may do on this node. Stored by {@link #code()}; shown by {@link #labelJa()}. */
public enum Role implements CodedChoice {
  MUNICIPAL_STAFF("municipal_staff", "行政"),
  FACILITY_ADMIN("facility_admin", "施設管理者"),
  PROFESSIONAL("professional", "専門職"),
  EMERGENCY_RESPONDER("emergency_responder", "救急・消防"),
  /** The call centre the municipality commissions to phone residents whose watch sensors raised an alert. */
  WATCH_CENTRE("watch_centre", "見守りセンター"),
  /** Municipal staff who run the care-need certification review board (介護認定審査会事務局). */
  REVIEW_SECRETARIAT("review_secretariat", "審査会事務局"),
  NODE_OPERATOR("node_operator", "ノード運用者");

  private final Label label;

  Role(String code, String labelJa) {
    this.label = new Label(code, labelJa);
  }

  @Override
  public Label label() {
    return label;
  }

  public static Optional<Role> fromCode(String code) {
    return CodedChoice.byCode(Role.class, code);
  }
}
