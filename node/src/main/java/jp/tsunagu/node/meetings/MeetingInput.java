package jp.tsunagu.node.meetings;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import jp.tsunagu.node.errors.CodedException;

/**
 * What the scheduling form sends, checked before anything is read or written: the kind, a title, a
 * start in Japan time that is not past, an end after it (a duration or an end time), the place or the
 * video link's provider, participants by user id and family contacts by name and mail address.
 * Whether the participants are members of the board is checked against the tables by the caller.
 */
record MeetingInput(MeetingKind kind, String title, Instant startsAt, Instant endsAt, String place, boolean online,
    String videoProvider, String videoUrl, String agenda, List<String> participantIds, List<Family> family) {

  /** A family contact (家族) reached by mail. */
  record Family(String name, String email) {
    String key() {
      return "mail:" + email;
    }
  }

  static final int MAX_PARTICIPANTS = 100;
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

  static MeetingInput of(JsonObject body, Instant now) {
    MeetingKind kind = MeetingKind.ofCode(text(body, "kind")).orElseThrow(() ->
        CodedException.invalid("meetings.invalid_kind", "会議の種類を一覧から選んでください。"));
    String title = text(body, "title");
    if (title.isEmpty()) {
      throw CodedException.invalid("meetings.title_required", "会議名を入力してください。");
    }
    Instant start;
    try {
      start = LocalDate.parse(text(body, "date")).atTime(LocalTime.parse(text(body, "time"))).atZone(Meeting.JAPAN)
          .toInstant();
    } catch (DateTimeException e) {
      throw CodedException.invalid("meetings.invalid_time", "日付と開始時刻を入力してください。");
    }
    Instant end = end(body, start);
    if (!end.isAfter(start)) {
      throw CodedException.invalid("meetings.ends_before_start", "終了は開始より後にしてください。");
    }
    if (!start.isAfter(now)) {
      throw CodedException.invalid("meetings.in_past", "過去の日時には会議を設定できません。");
    }
    boolean online = body.getValue("online") instanceof Boolean b && b;
    String provider = online ? text(body, "videoProvider") : "none";
    String place = text(body, "place");
    if (!online && place.isEmpty()) {
      throw CodedException.invalid("meetings.place_required", "開催場所を入力するか、オンラインを選んでください。");
    }
    return new MeetingInput(kind, title, start, end, place, online, provider.isEmpty() ? "jitsi" : provider,
        text(body, "videoUrl"), text(body, "agenda"), ids(body), family(body));
  }

  private static Instant end(JsonObject body, Instant start) {
    Object duration = body.getValue("durationMinutes");
    if (duration instanceof Number n) {
      if (n.longValue() > 24 * 60) {
        throw CodedException.invalid("meetings.invalid_time", "会議の長さは24時間までです。");
      }
      return start.plusSeconds(n.longValue() * 60);
    }
    try {
      LocalTime endTime = LocalTime.parse(text(body, "endTime"));
      return start.atZone(Meeting.JAPAN).toLocalDate().atTime(endTime).atZone(Meeting.JAPAN).toInstant();
    } catch (DateTimeException e) {
      throw CodedException.invalid("meetings.invalid_time", "会議の長さか終了時刻を入力してください。");
    }
  }

  private static List<String> ids(JsonObject body) {
    JsonArray array = body.getValue("participants") instanceof JsonArray a ? a : new JsonArray();
    Set<String> ids = new LinkedHashSet<>();
    for (Object id : array) {
      if (!(id instanceof String s) || s.isBlank()) {
        throw CodedException.invalid("meetings.participant_not_member", "参加者はボードのメンバーから選んでください。");
      }
      ids.add(s);
    }
    if (ids.size() > MAX_PARTICIPANTS) {
      throw CodedException.invalid("meetings.too_many_participants", "参加者は100人までです。");
    }
    return List.copyOf(ids);
  }

  private static List<Family> family(JsonObject body) {
    JsonArray array = body.getValue("familyContacts") instanceof JsonArray a ? a : new JsonArray();
    List<Family> family = new ArrayList<>();
    for (Object entry : array) {
      JsonObject contact = entry instanceof JsonObject o ? o : new JsonObject();
      String name = text(contact, "name");
      String email = text(contact, "email").toLowerCase(Locale.ROOT);
      if (name.isEmpty() || !EMAIL.matcher(email).matches() || email.length() > 254) {
        throw CodedException.invalid("meetings.invalid_family_contact", "ご家族の氏名とメールアドレスを確かめてください。");
      }
      family.add(new Family(name, email));
    }
    if (family.size() > 10) {
      throw CodedException.invalid("meetings.too_many_participants", "ご家族の招待は10人までです。");
    }
    return family;
  }

  static String text(JsonObject body, String field) {
    return body.getValue(field) instanceof String s ? s.strip() : "";
  }
}
