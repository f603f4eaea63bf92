package jp.tsunagu.node.care.categories;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A 情報カテゴリー as the node's administration sets it: its current name, its place in the list,
 * whether it is still offered for new posts, whether it is fixed (書類 and バイタル, which forms and
 * vitals file under), and the names it had before (posts written then keep those names).
 */
record Category(long id, String name, int position, boolean active, boolean fixed, List<String> formerNames) {

  JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name).put("position", position).put("active", active)
        .put("fixed", fixed).put("formerNames", new JsonArray(formerNames));
  }
}
