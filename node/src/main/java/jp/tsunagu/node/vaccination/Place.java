package jp.tsunagu.node.vaccination;

import java.util.Optional;
import jp.tsunagu.node.feature.CodedChoice;

/** Where a dose was given: at the patient's home (訪問), in a facility (施設) or at a venue (集合会場). */
enum Place implements CodedChoice {
  HOME("home", "訪問"),
  FACILITY("facility", "施設"),
  VENUE("venue", "集合会場");

  private final Label label;

  Place(String code, String labelJa) {
    this.label = new Label(code, labelJa);
  }

  @Override
  public Label label() {
    return label;
  }

  static Optional<Place> fromCode(String code) {
    return CodedChoice.byCode(Place.class, code);
  }
}
