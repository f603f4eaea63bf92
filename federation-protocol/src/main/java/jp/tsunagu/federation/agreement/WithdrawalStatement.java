package jp.tsunagu.federation.agreement;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.CanonicalJson;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;
import jp.tsunagu.federation.jws.Base64Url;
import jp.tsunagu.federation.jws.JwsPolicy;
import jp.tsunagu.federation.jws.JwsSignature;

/**
 * A party's statement that it leaves an agreement, signed by that party alone and effective at
 * once: from the moment a node knows it, nothing flows to or from the withdrawing party under that
 * agreement (the named version and every earlier one). Serialized like an agreement, as JWS JSON
 * general serialization with exactly one signature ({@code typ: tsunagu-withdrawal+jws}).
 *
 * @param agreementId      the agreement left
 * @param agreementVersion the version the party withdraws from
 * @param agreementSha256  that version's payload hash
 * @param node             the withdrawing party
 * @param withdrawnAt      when it signed the statement
 * @param payloadB64       the signed payload
 * @param signature        the party's signature
 */
public record WithdrawalStatement(String agreementId, long agreementVersion, String agreementSha256, String node,
                                  Instant withdrawnAt, String payloadB64, JwsSignature signature) {
    /** The payload format written in member {@code format}. */
    public static final String FORMAT = "tsunagu-withdrawal/1";
    /** {@code typ} of a withdrawal signature. */
    public static final String TYP = "tsunagu-withdrawal+jws";
    private static final JwsPolicy POLICY = new JwsPolicy(TYP, "withdrawal");

    /**
     * Signs a withdrawal from an agreement.
     *
     * @param agreement   the agreement the identity leaves
     * @param identity    the withdrawing party
     * @param withdrawnAt now
     * @return the statement
     * @throws ProtocolException {@code agreement.not_a_party}
     */
    public static WithdrawalStatement sign(AgreementDocument agreement, NodeIdentity identity, Instant withdrawnAt) {
        Agreement content = agreement.agreement();
        if (content.party(identity.name()).isEmpty()) {
            throw new ProtocolException("agreement.not_a_party", identity.name() + " is not a party to " + content.id());
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("format", FORMAT);
        payload.put("agreementId", content.id());
        payload.put("agreementVersion", content.version());
        payload.put("agreementSha256", agreement.sha256());
        payload.put("node", identity.name());
        payload.put("withdrawnAt", withdrawnAt.toString());
        String payloadB64 = Base64Url.encode(CanonicalJson.bytes(payload));
        JwsSignature signature = JwsSignature.sign(identity.signingKey(), TYP, Map.of("node", identity.name()), payloadB64);
        return new WithdrawalStatement(content.id(), content.version(), agreement.sha256(), identity.name(), withdrawnAt,
                payloadB64, signature);
    }

    /**
     * Reads a statement; its signature is checked by {@link #verifyAgainst}.
     *
     * @param text the file's text
     * @return the statement
     * @throws ProtocolException {@code withdrawal.not_json}, {@code withdrawal.malformed} or a header policy code
     */
    public static WithdrawalStatement parse(String text) {
        Object json;
        try {
            json = Json.parse(text);
        } catch (ProtocolException e) {
            throw new ProtocolException("withdrawal.not_json", "not a withdrawal file: " + e.getMessage(), e);
        }
        JsonFields file = JsonFields.of(json, "withdrawal.malformed", "withdrawal file");
        List<Object> signatures = file.array("signatures");
        if (signatures.size() != 1) {
            throw new ProtocolException("withdrawal.malformed", "a withdrawal carries exactly one signature, its party's");
        }
        JsonFields signatureFields = JsonFields.of(signatures.get(0), "withdrawal.malformed", "signature");
        JwsSignature signature = new JwsSignature(signatureFields.string("protected"), signatureFields.string("signature"));
        String payloadB64 = file.string("payload");
        JsonFields payload;
        try {
            payload = JsonFields.of(Json.parse(new String(Base64Url.decode(payloadB64, "withdrawal.malformed"), StandardCharsets.UTF_8)),
                    "withdrawal.malformed", "withdrawal payload");
        } catch (ProtocolException e) {
            throw e.code().startsWith("withdrawal.") ? e : new ProtocolException("withdrawal.malformed", e.getMessage(), e);
        }
        if (!FORMAT.equals(payload.optionalString("format"))) {
            throw new ProtocolException("withdrawal.malformed", "payload is not a " + FORMAT + " statement");
        }
        try {
            return new WithdrawalStatement(payload.string("agreementId"), payload.integer("agreementVersion"),
                    payload.string("agreementSha256"), payload.string("node"), Instant.parse(payload.string("withdrawnAt")),
                    payloadB64, signature);
        } catch (DateTimeParseException e) {
            throw new ProtocolException("withdrawal.malformed", "withdrawnAt is not an ISO-8601 instant", e);
        }
    }

    /**
     * Checks that the withdrawing party itself signed this statement about this agreement.
     *
     * @param agreement the agreement version named by the statement
     * @return this statement
     * @throws ProtocolException {@code withdrawal.agreement_mismatch}, {@code withdrawal.not_a_party},
     *                           {@code withdrawal.kid_unknown}, {@code withdrawal.signature_invalid}
     */
    public WithdrawalStatement verifyAgainst(AgreementDocument agreement) {
        if (!agreement.agreement().id().equals(agreementId) || !agreement.sha256().equals(agreementSha256)) {
            throw new ProtocolException("withdrawal.agreement_mismatch",
                    "statement names " + agreementId + " v" + agreementVersion + " (" + agreementSha256 + "), not this document");
        }
        NodeCard party = agreement.agreement().party(node).orElseThrow(() ->
                new ProtocolException("withdrawal.not_a_party", node + " is not a party to " + agreementId));
        Map<String, Object> header = POLICY.check(signature.protectedHeader());
        if (!node.equals(header.get("node"))) {
            throw new ProtocolException("withdrawal.kid_mismatch", "the signature is not " + node + "'s");
        }
        var key = POLICY.resolve(header, jp.tsunagu.federation.jws.TrustStore.of(List.of(party)));
        signature.verify(key.key(), payloadB64, "withdrawal.signature_invalid");
        return this;
    }

    /** @return the JWS JSON general serialization members */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("payload", payloadB64);
        json.put("signatures", List.of(signature.toJson()));
        return json;
    }

    /** @return the statement as indented JSON text */
    public String toPrettyJson() {
        return Json.writePretty(toJson());
    }
}
