package jp.tsunagu.node.care.attachments;

import io.vertx.core.json.JsonObject;

/** A stored file tied to its upload and, once posted, to a post. */
public record Attachment(String id, String sha256, String fileName, String mediaType, long size, boolean thumbnail,
    String uploadedBy, String postId) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", fileName).put("mediaType", mediaType).put("size", size)
        .put("thumbnail", thumbnail);
  }
}
