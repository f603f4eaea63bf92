package jp.tsunagu.federation.agreement;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.crypto.Sha256;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.CanonicalJson;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;
import jp.tsunagu.federation.jws.Base64Url;
import jp.tsunagu.federation.jws.JwsPolicy;
import jp.tsunagu.federation.jws.JwsSignature;

/**
 * An agreement as a file: JWS JSON general serialization (RFC 7515 section 7.2.1) of the canonical
 * JSON of an {@link Agreement}, with one signature per party. Each signature's protected header
 * carries {@code alg}, {@code typ: tsunagu-agreement+jws}, the party's {@code kid} and its node
 * name in {@code node}.
 *
 * <p>Instances are immutable and every signature they hold has verified against the key its
 * party lists in the payload: {@link #parse}, {@link #sign} and {@link #merge} refuse anything else.
 * Whether the agreement is <em>active</em> is a further question for {@link AgreementVerifier}.
 */
public final class AgreementDocument {
    /** {@code typ} of agreement signatures. */
    public static final String TYP = "tsunagu-agreement+jws";
    static final JwsPolicy POLICY = new JwsPolicy(TYP, "agreement");

    private final String payloadB64;
    private final Agreement agreement;
    private final String sha256;
    private final Map<String, JwsSignature> signaturesByNode;

    private AgreementDocument(String payloadB64, Agreement agreement, String sha256, Map<String, JwsSignature> signaturesByNode) {
        this.payloadB64 = payloadB64;
        this.agreement = agreement;
        this.sha256 = sha256;
        this.signaturesByNode = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(signaturesByNode));
    }

    /**
     * Starts an unsigned document.
     *
     * @param agreement the content
     * @return a draft with no signatures
     */
    public static AgreementDocument draft(Agreement agreement) {
        byte[] payload = CanonicalJson.bytes(agreement.toJson());
        return new AgreementDocument(Base64Url.encode(payload), agreement, Sha256.hex(payload), Map.of());
    }

    /**
     * Reads a document and verifies each signature it carries.
     *
     * @param text the file's text
     * @return the document
     * @throws ProtocolException {@code agreement.not_json} (truncated or not JSON),
     *                           {@code agreement.malformed}, {@code agreement.payload_not_canonical},
     *                           {@code agreement.alg_not_allowed}, {@code agreement.header_forbidden},
     *                           {@code agreement.typ_invalid}, {@code agreement.kid_unknown},
     *                           {@code agreement.kid_mismatch}, {@code agreement.signature_invalid},
     *                           {@code agreement.signature_duplicate}, or a payload field's code
     */
    public static AgreementDocument parse(String text) {
        Object json;
        try {
            json = Json.parse(text);
        } catch (ProtocolException e) {
            throw new ProtocolException("agreement.not_json", "not an agreement file: " + e.getMessage(), e);
        }
        JsonFields fields = JsonFields.of(json, "agreement.malformed", "agreement file");
        AgreementDocument document = fromPayload(fields.string("payload"));
        for (Object item : fields.array("signatures")) {
            JsonFields signature = JsonFields.of(item, "agreement.malformed", "signature");
            if (signature.has("header")) {
                throw new ProtocolException("agreement.header_forbidden", "unprotected headers are not accepted");
            }
            document = document.withSignature(new JwsSignature(signature.string("protected"), signature.string("signature")));
        }
        return document;
    }

    private static AgreementDocument fromPayload(String payloadB64) {
        byte[] payload = Base64Url.decode(payloadB64, "agreement.malformed");
        String payloadText = new String(payload, StandardCharsets.UTF_8);
        Object json;
        try {
            json = Json.parse(payloadText);
        } catch (ProtocolException e) {
            throw new ProtocolException("agreement.malformed", "payload is not JSON: " + e.getMessage(), e);
        }
        // Hashes name versions, so every party must hash the same bytes for the same content.
        if (!CanonicalJson.write(json).equals(payloadText)) {
            throw new ProtocolException("agreement.payload_not_canonical", "payload is not in RFC 8785 canonical form");
        }
        Agreement agreement = Agreement.fromJson(JsonFields.of(json, "agreement.malformed", "payload"));
        return new AgreementDocument(payloadB64, agreement, Sha256.hex(payload), Map.of());
    }

    /**
     * Adds this node's signature.
     *
     * @param identity a party's identity whose current key is the one the agreement lists
     * @return a new document carrying the signature
     * @throws ProtocolException {@code agreement.not_a_party}, {@code agreement.key_mismatch},
     *                           {@code agreement.already_signed}
     */
    public AgreementDocument sign(NodeIdentity identity) {
        NodeCard party = agreement.party(identity.name()).orElseThrow(() ->
                new ProtocolException("agreement.not_a_party", identity.name() + " is not a party to " + agreement.id()));
        if (!party.signingKey().keyId().equals(identity.signingKeyId())) {
            throw new ProtocolException("agreement.key_mismatch",
                    "the agreement lists key " + party.signingKey().keyId() + " for " + identity.name()
                            + " but this identity's key is " + identity.signingKeyId());
        }
        if (signaturesByNode.containsKey(identity.name())) {
            throw new ProtocolException("agreement.already_signed", identity.name() + " has already signed this document");
        }
        return withSignature(JwsSignature.sign(identity.signingKey(), TYP, Map.of("node", identity.name()), payloadB64));
    }

    /**
     * Combines signatures made separately on the same payload.
     *
     * @param documents copies of one payload, each with some signatures
     * @return one document with every signature
     * @throws ProtocolException {@code agreement.payload_mismatch} when the payloads differ
     */
    public static AgreementDocument merge(List<AgreementDocument> documents) {
        if (documents.isEmpty()) {
            throw new ProtocolException("agreement.merge_empty", "nothing to merge");
        }
        AgreementDocument merged = documents.get(0);
        for (AgreementDocument other : documents.subList(1, documents.size())) {
            if (!other.payloadB64.equals(merged.payloadB64)) {
                throw new ProtocolException("agreement.payload_mismatch",
                        "cannot merge different payloads: " + merged.sha256 + " and " + other.sha256);
            }
            for (var entry : other.signaturesByNode.entrySet()) {
                if (!merged.signaturesByNode.containsKey(entry.getKey())) {
                    merged = merged.withSignature(entry.getValue());
                }
            }
        }
        return merged;
    }

    private AgreementDocument withSignature(JwsSignature signature) {
        Map<String, Object> header = POLICY.check(signature.protectedHeader());
        String kid = (String) header.get("kid");
        NodeCard signer = agreement.parties().stream()
                .filter(p -> p.signingKey().keyId().equals(kid)).findFirst()
                .orElseThrow(() -> new ProtocolException("agreement.kid_unknown",
                        "signature key " + kid + " belongs to no party of " + agreement.id()));
        if (!signer.profile().name().equals(header.get("node"))) {
            throw new ProtocolException("agreement.kid_mismatch",
                    "signature claims node '" + header.get("node") + "' but key " + kid + " is " + signer.profile().name() + "'s");
        }
        signature.verify(signer.signingKey(), payloadB64, "agreement.signature_invalid");
        if (signaturesByNode.containsKey(signer.profile().name())) {
            throw new ProtocolException("agreement.signature_duplicate", signer.profile().name() + " signed twice");
        }
        Map<String, JwsSignature> signatures = new LinkedHashMap<>(signaturesByNode);
        signatures.put(signer.profile().name(), signature);
        return new AgreementDocument(payloadB64, agreement, sha256, signatures);
    }

    /** @return the signed content */
    public Agreement agreement() {
        return agreement;
    }

    /** @return lowercase hex SHA-256 of the canonical payload: what an amendment names */
    public String sha256() {
        return sha256;
    }

    /** @return names of the parties whose signatures verified, in signing order */
    public List<String> signedBy() {
        return new ArrayList<>(signaturesByNode.keySet());
    }

    /** @return the JWS JSON general serialization members */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("payload", payloadB64);
        json.put("signatures", signaturesByNode.values().stream().map(JwsSignature::toJson).toList());
        return json;
    }

    /** @return the document as indented JSON text, for files */
    public String toPrettyJson() {
        return Json.writePretty(toJson());
    }

    /** @return the document as compact JSON text, for the wire */
    public String toCompactJson() {
        return Json.write(toJson());
    }
}
