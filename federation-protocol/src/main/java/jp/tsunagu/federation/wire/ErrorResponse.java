package jp.tsunagu.federation.wire;

import java.util.LinkedHashMap;
import java.util.Map;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;

/**
 * The one error shape of every Tsunagu HTTP API (admin and federation): {@code {code, message, requestId}}.
 *
 * @param code      stable dotted error code
 * @param message   human message
 * @param requestId id to find the request in the node's log
 */
public record ErrorResponse(String code, String message, String requestId) {

    /** @return the JSON members */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("code", code);
        json.put("message", message);
        json.put("requestId", requestId);
        return json;
    }

    /**
     * @param text a response body
     * @return the error
     * @throws jp.tsunagu.federation.ProtocolException {@code wire.malformed} when not this shape
     */
    public static ErrorResponse parse(String text) {
        JsonFields fields = JsonFields.of(Json.parse(text), "wire.malformed", "error response");
        return new ErrorResponse(fields.string("code"), fields.string("message"), fields.optionalString("requestId"));
    }

    /**
     * The code of a refusal, for a caller that passes it on: a partner's non-success answer whose body
     * may be this shape or anything else (a proxy's page, a cut answer).
     *
     * @param text     a response body
     * @param fallback the code to give when the body is not this shape
     * @return the error's code, or {@code fallback}
     */
    public static String codeOr(String text, String fallback) {
        try {
            return parse(text).code();
        } catch (ProtocolException e) {
            return fallback;
        }
    }
}
