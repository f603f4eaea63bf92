package jp.tsunagu.node.feature;

import java.util.Optional;

/**
 * One of a closed set of choices (an enum), stored and sent by a stable code and shown by its Japanese label.
 * Codes stand in stored rows and federation events: a code never changes once released.
 */
public interface CodedChoice {

  /** A choice's code and label, the one field an enum of choices holds for them. */
  record Label(String code, String labelJa) {}

  Label label();

  /** The stable code, as stored and sent. */
  default String code() {
    return label().code();
  }

  /** The name people read on the screens and in documents. */
  default String labelJa() {
    return label().labelJa();
  }

  /** The choice of {@code type} with this code; empty for a code it does not have (or none). */
  static <E extends Enum<E> & CodedChoice> Optional<E> byCode(Class<E> type, String code) {
    for (E choice : type.getEnumConstants()) {
      if (choice.code().equals(code)) {
        return Optional.of(choice);
      }
    }
    return Optional.empty();
  }
}
