package jp.tsunagu.federation.agreement;

import java.util.LinkedHashMap;
import java.util.Map;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.json.JsonFields;

/**
 * The version an amendment replaces.
 *
 * @param id      the agreement id (the same as the amendment's)
 * @param version the replaced version
 * @param sha256  lowercase hex SHA-256 of the replaced version's canonical payload
 */
public record Predecessor(String id, long version, String sha256) {
    /** Checks the hash's shape. */
    public Predecessor {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new ProtocolException("agreement.malformed", "replaces.sha256 must be 64 lowercase hex digits");
        }
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("version", version);
        json.put("sha256", sha256);
        return json;
    }

    static Predecessor fromJson(JsonFields fields) {
        return new Predecessor(fields.string("id"), fields.integer("version"), fields.string("sha256"));
    }
}
