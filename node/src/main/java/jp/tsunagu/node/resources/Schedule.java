package jp.tsunagu.node.resources;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** When a resource is open or meets: structured rules plus a free-text note ("祝日は休み"). */
public record Schedule(List<Recurrence> rules, String note) {

  public static final Schedule NONE = new Schedule(List.of(), "");

  public Schedule {
    rules = List.copyOf(rules);
  }

  /** Rules in their short form, separated by ';' (the stored and CSV form). */
  public String rulesText() {
    return rules.stream().map(Recurrence::format).collect(Collectors.joining(";"));
  }

  /** Parses stored rules; they were validated when written. */
  static List<Recurrence> parseStored(String text) {
    List<Recurrence> rules = new ArrayList<>();
    for (String rule : text.split(";")) {
      if (!rule.isBlank()) {
        Recurrence.parse(rule).ifPresent(rules::add);
      }
    }
    return rules;
  }

  /** The whole schedule in words: "毎週木曜日 10:00〜12:00、毎月第2火曜日（祝日は休み）". */
  public String labelJa() {
    String structured = rules.stream().map(Recurrence::labelJa).collect(Collectors.joining("、"));
    if (note.isBlank()) {
      return structured;
    }
    return structured.isEmpty() ? note : structured + "（" + note + "）";
  }
}
