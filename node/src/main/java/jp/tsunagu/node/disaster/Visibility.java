package jp.tsunagu.node.disaster;

import java.util.Optional;

/**
 * Who may see whom of the register. The law lets a municipality share the register before a
 * disaster only for people who consented, and without consent once a disaster is declared: so
 * municipal staff (行政), who keep the register, see everyone; anyone else sees the consenting
 * people, and during a declaration also everyone in the declared 地区 (the whole area when none named).
 */
record Visibility(boolean staff, Optional<DeclarationSql.Declaration> declaration) {

  boolean sees(RegisterPerson person) {
    return staff || person.consent() || declaration.map(d -> d.covers(person.district())).orElse(false);
  }

  /** Whether the viewer is shown only part of the register (to say so on the screen and the print). */
  boolean consentingOnly() {
    return !staff && declaration.isEmpty();
  }
}
