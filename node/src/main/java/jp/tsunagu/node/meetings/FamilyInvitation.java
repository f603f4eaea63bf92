package jp.tsunagu.node.meetings;

import io.vertx.core.json.JsonObject;

/**
 * A meeting as the invited family sees it in the notebook: when, what kind, where or the 参加 link,
 * and the family's own 出欠 ({@code pending}, {@code attend}, {@code decline}, {@code tentative}).
 * Nothing of the other participants, the agenda, documents or minutes.
 */
public record FamilyInvitation(String id, String kindLabel, String title, String when, String date, String time,
    String place, boolean online, String videoUrl, String response) {

  /** The meeting as the contact invited at {@code email} sees it. */
  static FamilyInvitation of(Meeting m, String email) {
    String response = m.participants().stream().filter(p -> p.family() && p.email().equalsIgnoreCase(email))
        .map(Meeting.Participant::response).findFirst().orElse("pending");
    return new FamilyInvitation(m.id(), m.kind().labelJa(), m.title(), m.whenJa(),
        m.startsAt().atZone(Meeting.JAPAN).toLocalDate().toString(),
        m.startsAt().atZone(Meeting.JAPAN).toLocalTime().toString(), m.place(), m.online(),
        m.online() ? m.videoUrl() : "", response);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("kindLabel", kindLabel).put("title", title).put("when", when)
        .put("date", date).put("time", time).put("place", place).put("online", online).put("videoUrl", videoUrl).put("response", response);
  }
}
