package jp.tsunagu.node.identity;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/** One device certificate of one user (端末種別 + remark). */
public record DeviceCertificate(String id, String userId, String serial, String fingerprint, String deviceType,
    String remark, Instant notBefore, Instant notAfter, boolean revoked, Instant issuedAt,
    Optional<Instant> downloadedAt, boolean awaitingDownload) {

  public boolean expiredAt(Instant now) {
    return now.isAfter(notAfter) || now.isBefore(notBefore);
  }

  public JsonObject toJson(Instant now) {
    String state = revoked ? "revoked" : expiredAt(now) ? "expired" : awaitingDownload ? "awaiting_download" : "active";
    return new JsonObject().put("id", id).put("serial", serial).put("deviceType", deviceType).put("remark", remark)
        .put("notAfter", notAfter.toString()).put("issuedAt", issuedAt.toString())
        .put("downloadedAt", downloadedAt.map(Instant::toString).orElse(null)).put("state", state);
  }
}
