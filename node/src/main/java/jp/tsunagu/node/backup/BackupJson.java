package jp.tsunagu.node.backup;

import io.vertx.core.json.JsonObject;
import jp.tsunagu.federation.backup.Generation;

/** How the admin API shows a backup. */
final class BackupJson {

  private BackupJson() {}

  static JsonObject generation(Generation g) {
    return new JsonObject().put("name", g.name()).put("createdAt", g.createdAt().toString())
        .put("archiveBytes", g.archiveBytes()).put("objectsAdded", g.objectsAdded()).put("bytesAdded", g.bytesAdded())
        .put("objects", g.objects().size()).put("withKeys", g.withKeys()).put("schemaVersion", g.schemaVersion())
        .put("verification", g.verification().map(v -> {
          JsonObject json = new JsonObject().put("state", v.verified() ? "verified" : "failed").put("at", v.at().toString());
          if (v.code() != null) {
            json.put("code", v.code()).put("problem", v.problem());
          }
          return json;
        }).orElse(null));
  }
}
