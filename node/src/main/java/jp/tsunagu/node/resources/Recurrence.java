package jp.tsunagu.node.resources;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One structured rule of a schedule: every week, or on given weeks of the month (第2・第4), on some
 * days, optionally between two times. Written in a short form that staff can type into a CSV
 * cell ({@code weekly:thu@10:00-12:00}, {@code monthly:2,4:tue@13:30-15:00}) and shown in the
 * words residents use ("毎週木曜日 10:00〜12:00").
 */
public record Recurrence(Set<Integer> weeksOfMonth, Set<DayOfWeek> days, Optional<LocalTime> start,
    Optional<LocalTime> end) {

  private static final String[] DAY_CODES = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  private static final String[] DAY_JA = {"月", "火", "水", "木", "金", "土", "日"};

  public Recurrence {
    weeksOfMonth = Set.copyOf(weeksOfMonth);
    days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
  }

  /** Every week (no week-of-month restriction). */
  public boolean weekly() {
    return weeksOfMonth.isEmpty();
  }

  /** Parses the short form; the message of an empty result is given by {@link #problem}. */
  public static Optional<Recurrence> parse(String text) {
    return problem(text) == null ? Optional.of(parseValid(text.trim().toLowerCase(Locale.ROOT))) : Optional.empty();
  }

  /** Why the short form is wrong, in Japanese, or null when it is right. */
  public static String problem(String text) {
    String rule = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (!rule.matches("(weekly|monthly:[1-5](,[1-5])*):[a-z]{3}(,[a-z]{3})*(@\\d{1,2}:\\d{2}-\\d{1,2}:\\d{2})?")) {
      return "「" + text + "」は予定の形式ではありません（例: weekly:thu@10:00-12:00、monthly:2,4:tue）。";
    }
    String days = rule.split(":", -1)[rule.startsWith("weekly") ? 1 : 2].split("@")[0];
    for (String day : days.split(",")) {
      if (dayOf(day).isEmpty()) {
        return "曜日「" + day + "」は mon, tue, wed, thu, fri, sat, sun のいずれかです。";
      }
    }
    int at = rule.indexOf('@');
    if (at >= 0) {
      try {
        String[] times = rule.substring(at + 1).split("-");
        if (!time(times[0]).isBefore(time(times[1]))) {
          return "終了時刻は開始時刻より後にしてください。";
        }
      } catch (DateTimeParseException e) {
        return "時刻「" + rule.substring(at + 1) + "」を読み取れません（例: 10:00-12:00）。";
      }
    }
    return null;
  }

  private static Recurrence parseValid(String rule) {
    String[] parts = rule.split("@")[0].split(":");
    Set<Integer> weeks = new TreeSet<>();
    if (parts[0].equals("monthly")) {
      for (String week : parts[1].split(",")) {
        weeks.add(Integer.parseInt(week));
      }
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String day : parts[parts.length - 1].split(",")) {
      days.add(dayOf(day).orElseThrow());
    }
    int at = rule.indexOf('@');
    Optional<LocalTime> start = Optional.empty();
    Optional<LocalTime> end = Optional.empty();
    if (at >= 0) {
      String[] times = rule.substring(at + 1).split("-");
      start = Optional.of(time(times[0]));
      end = Optional.of(time(times[1]));
    }
    return new Recurrence(weeks, days, start, end);
  }

  private static LocalTime time(String text) {
    return LocalTime.parse(text.length() == 4 ? "0" + text : text);
  }

  private static Optional<DayOfWeek> dayOf(String code) {
    for (int i = 0; i < DAY_CODES.length; i++) {
      if (DAY_CODES[i].equals(code)) {
        return Optional.of(DayOfWeek.of(i + 1));
      }
    }
    return Optional.empty();
  }

  /** The short form, as stored and exported. */
  public String format() {
    String daysPart = days.stream().sorted().map(d -> DAY_CODES[d.getValue() - 1]).collect(Collectors.joining(","));
    String head = weekly() ? "weekly" : "monthly:" + weeksOfMonth.stream().sorted().map(String::valueOf)
        .collect(Collectors.joining(","));
    return head + ":" + daysPart + start.map(s -> "@" + s + "-" + end.orElseThrow()).orElse("");
  }

  /** "毎週木曜日 10:00〜12:00", "毎月第2・第4火曜日". */
  public String labelJa() {
    String daysJa = days.stream().sorted().map(d -> DAY_JA[d.getValue() - 1]).collect(Collectors.joining("・"));
    String when = weekly() ? "毎週" + daysJa + "曜日"
        : "毎月" + weeksOfMonth.stream().sorted().map(w -> "第" + w).collect(Collectors.joining("・")) + daysJa + "曜日";
    return when + start.map(s -> " " + s + "〜" + end.orElseThrow()).orElse("");
  }

  /** Day names for open data's 利用可能曜日 ("月;木"). */
  public List<String> dayNamesJa() {
    List<String> names = new ArrayList<>();
    days.stream().sorted().forEach(d -> names.add(DAY_JA[d.getValue() - 1]));
    return names;
  }
}
