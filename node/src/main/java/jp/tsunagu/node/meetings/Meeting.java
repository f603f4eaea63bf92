package jp.tsunagu.node.meetings;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/** A meeting as stored, with its participants and documents. Times are instants; screens show Japan time. */
public record Meeting(String id, String boardId, MeetingKind kind, String title, Instant startsAt, Instant endsAt,
    String place, boolean online, String videoProvider, String videoUrl, String agenda, String status, int sequence,
    String organizerId, String minutes, String decisions, String minutesAt, List<Participant> participants,
    List<Document> documents) {

  static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

  /** {@code key}: the user's id, or {@code mail:} and the address of a family contact. */
  public record Participant(String key, String userId, String email, String name, String response, boolean attended) {
    boolean family() {
      return userId == null;
    }
  }

  public record Document(String id, String name, String contentType) {}

  public boolean cancelled() {
    return "cancelled".equals(status);
  }

  public Optional<Participant> participant(String userId) {
    return participants.stream().filter(p -> userId.equals(p.userId())).findFirst();
  }

  public long durationMinutes() {
    return Duration.between(startsAt, endsAt).toMinutes();
  }

  /** When, as mails and notices say it: 「2026年12月8日(火) 14:00〜15:00」. */
  public String whenJa() {
    DateTimeFormatter day = DateTimeFormatter.ofPattern("yyyy年M月d日(E) HH:mm", java.util.Locale.JAPAN);
    return startsAt.atZone(JAPAN).format(day) + "〜" + endsAt.atZone(JAPAN).format(DateTimeFormatter.ofPattern("HH:mm"));
  }

  /** As the screens show it to {@code userId}; the video link and documents only to a participant. */
  public JsonObject toJson(String userId, String boardName, String boardKind) {
    Optional<Participant> me = participant(userId);
    boolean participant = me.isPresent();
    JsonArray people = new JsonArray();
    // A family contact's address is shown to the team (who invited them), never a professional's.
    participants.forEach(p -> people.add(new JsonObject().put("key", p.key()).put("userId", p.userId())
        .put("name", p.name()).put("family", p.family()).put("email", p.family() ? p.email() : null)
        .put("response", p.response()).put("attended", p.attended())));
    JsonArray docs = new JsonArray();
    if (participant) {
      documents.forEach(d -> docs.add(new JsonObject().put("id", d.id()).put("name", d.name())
          .put("contentType", d.contentType())));
    }
    return new JsonObject().put("id", id).put("boardId", boardId).put("boardName", boardName)
        .put("boardKind", boardKind).put("kind", kind.code()).put("kindLabel", kind.labelJa()).put("title", title)
        .put("startsAt", startsAt.toString()).put("endsAt", endsAt.toString())
        .put("date", startsAt.atZone(JAPAN).toLocalDate().toString())
        .put("time", startsAt.atZone(JAPAN).toLocalTime().toString()).put("durationMinutes", durationMinutes())
        .put("when", whenJa()).put("place", place).put("online", online).put("videoProvider", videoProvider)
        .put("videoUrl", participant ? videoUrl : "").put("agenda", agenda).put("status", status)
        .put("sequence", sequence).put("organizerId", organizerId).put("organizer", organizerId.equals(userId))
        .put("participant", participant).put("myResponse", me.map(Participant::response).orElse(""))
        .put("participants", people).put("documents", docs).put("minutes", minutes).put("decisions", decisions)
        .put("minutesAt", minutesAt);
  }
}
