package jp.tsunagu.federation.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.crypto.VerificationKey;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;

/**
 * A node's public identity card: what a partner needs to name the node in an agreement and to
 * trust it. It holds no secret.
 *
 * @param profile            the node's name, display name, municipalities and endpoint
 * @param tlsPin             the pin of the node's TLS certificate ({@code sha256/<base64>})
 * @param signingKey         the current public signing key
 * @param retiredSigningKeys earlier keys that still verify what they signed
 */
public record NodeCard(NodeProfile profile, String tlsPin, VerificationKey signingKey,
                       List<VerificationKey> retiredSigningKeys) {
    /** The card format written in member {@code format}. */
    public static final String FORMAT = "tsunagu-node-card/1";

    /** Copies the list and checks the pin's shape. */
    public NodeCard {
        requireValidPin(tlsPin);
        retiredSigningKeys = List.copyOf(retiredSigningKeys);
    }

    /**
     * @param pin a candidate pin
     * @return the pin
     * @throws ProtocolException {@code identity.pin_invalid} unless {@code sha256/} and 32 bytes of base64
     */
    public static String requireValidPin(String pin) {
        try {
            if (pin != null && pin.startsWith("sha256/")
                    && java.util.Base64.getDecoder().decode(pin.substring(7)).length == 32) {
                return pin;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the coded failure below
        }
        throw new ProtocolException("identity.pin_invalid", "TLS pin must be sha256/<base64 of 32 bytes>, got '" + pin + "'");
    }

    /** @return the card as JSON members, as written to card files */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.putAll(toPartyJson());
        return json;
    }

    /** @return the card's members without {@code format}, as an agreement lists its parties */
    public Map<String, Object> toPartyJson() {
        Map<String, Object> json = new LinkedHashMap<>(ProfileJson.write(profile));
        json.put("tlsPin", tlsPin);
        json.put("signingKey", signingKey.toJson());
        json.put("retiredSigningKeys", retiredSigningKeys.stream().map(VerificationKey::toJson).toList());
        return json;
    }

    /**
     * Reads a card.
     *
     * @param text the card's JSON text
     * @return the card
     * @throws ProtocolException {@code json.malformed}, {@code card.malformed}, {@code card.format_unsupported},
     *                           or a field's own code such as {@code municipality.check_digit_invalid}
     */
    public static NodeCard parse(String text) {
        return fromJson(JsonFields.of(Json.parse(text), "card.malformed", "identity card"));
    }

    /**
     * @param fields card members
     * @return the card
     */
    public static NodeCard fromJson(JsonFields fields) {
        if (!FORMAT.equals(fields.optionalString("format"))) {
            throw new ProtocolException("card.format_unsupported", "not a " + FORMAT + " identity card");
        }
        return fromPartyJson(fields);
    }

    /**
     * @param fields members as {@link #toPartyJson()} writes them
     * @return the card
     */
    public static NodeCard fromPartyJson(JsonFields fields) {
        List<VerificationKey> retired = new ArrayList<>();
        for (Object key : fields.has("retiredSigningKeys") ? fields.array("retiredSigningKeys") : List.of()) {
            retired.add(VerificationKey.fromJwk(JsonFields.of(key, fields.code(), "retired key").object()));
        }
        return new NodeCard(ProfileJson.read(fields), fields.string("tlsPin"),
                VerificationKey.fromJwk(fields.object("signingKey").object()), retired);
    }

    /** @return the card as indented JSON text */
    public String toPrettyJson() {
        return Json.writePretty(toJson());
    }
}
