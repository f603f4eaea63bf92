package jp.tsunagu.node.care.timeline;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A timeline post (記事) as stored; a deleted post keeps its row but never shows its text. */
public record Post(String id, String boardId, long seq, String authorId, String authorName, String authorProfession,
    String authorFacility, String category, String kind, String body, String formType, String formData,
    boolean direct, String status, int version, String createdAt, String editedAt, String syncState) {

  public boolean deleted() {
    return "deleted".equals(status);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("seq", seq).put("authorId", authorId)
        .put("authorName", authorName).put("authorProfession", authorProfession).put("authorFacility", authorFacility)
        .put("category", category).put("kind", kind).put("direct", direct).put("deleted", deleted())
        .put("version", version).put("createdAt", createdAt).put("editedAt", editedAt).put("syncState", syncState);
    if (!deleted()) {
      JsonObject values = formData == null ? null : new JsonObject(formData);
      json.put("body", body).put("formType", formType).put("form", "vitals".equals(kind) ? null : values);
      if ("vitals".equals(kind)) {
        json.put("vitals", values);
      }
    }
    return json.put("attachments", new JsonArray()).put("comments", new JsonArray());
  }
}
