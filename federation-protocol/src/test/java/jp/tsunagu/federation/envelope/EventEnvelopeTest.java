package jp.tsunagu.federation.envelope;

import static jp.tsunagu.federation.Fixtures.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;

import jp.tsunagu.federation.Fixtures;
import jp.tsunagu.federation.crypto.Ed25519JwsSigner;
import jp.tsunagu.federation.crypto.Ed25519JwsVerifier;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.jws.Base64Url;
import jp.tsunagu.federation.jws.TrustStore;

class EventEnvelopeTest {
    @TempDir
    Path temp;
    NodeIdentity ina;
    NodeIdentity minamiminowa;
    TrustStore trust;

    static final Instant NOW = Instant.parse("2025-04-01T09:00:00Z");

    @BeforeEach
    void identities() {
        ina = Fixtures.identity(temp, "ina");
        minamiminowa = Fixtures.identity(temp, "minamiminowa");
        trust = TrustStore.of(List.of(ina.card(), minamiminowa.card()));
    }

    Event post() {
        return postWithText("訪問時、食欲あり。");
    }

    Event postWithText(String text) {
        return new Event("evt-0001", "care.post.created", "minamiminowa", "ina",
                List.of("patient:p-17@ina", "team:t-3@ina"), NOW, Map.of("text", text, "profession", "nurse"));
    }

    @Test
    void an_event_signed_by_its_origin_verifies_with_every_id_inside_the_signed_body() {
        String compact = EventEnvelope.sign(post(), minamiminowa);
        VerifiedEvent verified = EventEnvelope.verify(compact, trust);

        assertThat(verified.event()).isEqualTo(post());
        assertThat(verified.keyId()).isEqualTo(minamiminowa.signingKeyId());
        verified.requireIds("evt-0001", List.of("team:t-3@ina"));
        assertThatThrownBy(() -> verified.requireIds("evt-0002", List.of()))
                .extracting(Fixtures::codeOf).isEqualTo("envelope.id_mismatch");
        assertThatThrownBy(() -> verified.requireIds("evt-0001", List.of("team:t-9@ina")))
                .extracting(Fixtures::codeOf).isEqualTo("envelope.id_mismatch");
    }

    @Test
    void the_home_node_countersigns_and_replicas_verify_both_signatures() {
        VerifiedEvent verified = EventEnvelope.verify(EventEnvelope.sign(post(), minamiminowa), trust);
        String countersigned = EventEnvelope.countersign(verified, 42, NOW.plusSeconds(1), ina);

        SequencedEvent sequenced = EventEnvelope.verifyCountersigned(countersigned, trust);
        assertThat(sequenced.sequence()).isEqualTo(42);
        assertThat(sequenced.origin().event()).isEqualTo(post());
        assertThat(sequenced.homeKeyId()).isEqualTo(ina.signingKeyId());
    }

    @Test
    void an_origin_envelope_the_verifier_signed_itself_is_not_checked_again_and_every_other_one_is() {
        // the origin's signature replaced by another of its signatures: a check of it fails
        String[] own = EventEnvelope.sign(post(), minamiminowa).split("\\.");
        String[] other = EventEnvelope.sign(postWithText("食欲なし"), minamiminowa).split("\\.");
        String wrongSignature = own[0] + "." + own[1] + "." + other[2];
        String countersigned = EventEnvelope.countersignAccepted("evt-0001", wrongSignature, 42, NOW, ina);

        assertThatThrownBy(() -> EventEnvelope.verifyCountersigned(countersigned, trust))
                .extracting(Fixtures::codeOf).isEqualTo("envelope.signature_invalid");
        assertThatThrownBy(() -> EventEnvelope.verifyCountersigned(countersigned, trust, origin -> false))
                .extracting(Fixtures::codeOf).isEqualTo("envelope.signature_invalid");
        // the caller vouches for exactly these bytes (it made them): the origin's signature is not checked
        assertThat(EventEnvelope.verifyCountersigned(countersigned, trust, wrongSignature::equals).origin().event())
                .isEqualTo(post());
        // the home node's countersignature always is
        String[] outer = countersigned.split("\\.");
        String forged = outer[0] + "." + outer[1] + "." + other[2];
        assertThatThrownBy(() -> EventEnvelope.verifyCountersigned(forged, trust, wrongSignature::equals))
                .extracting(Fixtures::codeOf).isEqualTo("envelope.signature_invalid");
    }

    @Test
    void signing_is_deterministic_so_a_node_that_stopped_before_storing_a_signature_signs_the_same_bytes_again() {
        // a home node pushes an envelope before its signature's commit: after a crash it must sign the very same
        // bytes from what it had stored (the event's JSON, its seq, its acceptedAt) with its key loaded again
        String origin = EventEnvelope.sign(post(), minamiminowa);
        Event stored = Event.fromJson(jp.tsunagu.federation.json.JsonFields.of(
                jp.tsunagu.federation.json.Json.parse(new String(jp.tsunagu.federation.json.CanonicalJson.bytes(post().toJson()), StandardCharsets.UTF_8)),
                "envelope.malformed", "event"));
        NodeIdentity reloaded = NodeIdentity.load(temp.resolve("minamiminowa"));
        assertThat(EventEnvelope.sign(stored, reloaded)).isEqualTo(origin);

        VerifiedEvent verified = EventEnvelope.verify(origin, trust);
        String countersigned = EventEnvelope.countersign(verified, 42, NOW.plusSeconds(1), ina);
        VerifiedEvent again = new VerifiedEvent(stored, null, origin);
        assertThat(EventEnvelope.countersign(again, 42, Instant.parse(NOW.plusSeconds(1).toString()),
                NodeIdentity.load(temp.resolve("ina")))).isEqualTo(countersigned);
        assertThat(EventEnvelope.countersignAccepted("evt-0001", origin, 42, NOW.plusSeconds(1), ina))
                .as("by the event's id, without reading the origin's envelope again").isEqualTo(countersigned);
    }

    @Test
    void only_the_home_node_may_countersign() {
        VerifiedEvent verified = EventEnvelope.verify(EventEnvelope.sign(post(), minamiminowa), trust);
        assertThatThrownBy(() -> EventEnvelope.countersign(verified, 1, NOW, minamiminowa))
                .extracting(Fixtures::codeOf).isEqualTo("envelope.not_home_node");
    }

    @Test
    void a_node_cannot_sign_an_event_in_another_nodes_name() {
        assertThatThrownBy(() -> EventEnvelope.sign(post(), ina))
                .extracting(Fixtures::codeOf).isEqualTo("envelope.origin_mismatch");
    }

    @Test
    void an_event_signed_by_a_trusted_key_of_another_node_than_its_origin_is_refused() throws Exception {
        String forged = nimbusSigned(new JWSHeader.Builder(JWSAlgorithm.Ed25519).type(new JOSEObjectType(EventEnvelope.EVENT_TYP))
                .keyID(ina.signingKeyId()).build(), post(), new Ed25519JwsSigner(ina.signingKey()));
        assertThatThrownBy(() -> EventEnvelope.verify(forged, trust))
                .extracting(Fixtures::codeOf).isEqualTo("envelope.origin_mismatch");
    }

    @Test
    void a_tampered_event_body_fails_signature_verification() {
        String[] parts = EventEnvelope.sign(post(), minamiminowa).split("\\.");
        String body = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("食欲あり", "食欲なし");
        String tampered = parts[0] + "." + Base64Url.encode(body.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThatThrownBy(() -> EventEnvelope.verify(tampered, trust))
                .extracting(Fixtures::codeOf).isEqualTo("envelope.signature_invalid");
    }

    @Test
    void a_key_not_in_the_local_trust_store_is_unknown_even_if_the_header_carries_it() throws Exception {
        NodeIdentity stranger = Fixtures.identity(temp, "minowa");
        String compact = EventEnvelope.sign(new Event("evt-9", "care.post.created", "minowa", "ina",
                List.of("team:t-3@ina"), NOW, Map.of()), stranger);
        assertThatThrownBy(() -> EventEnvelope.verify(compact, trust))
                .extracting(Fixtures::codeOf).isEqualTo("envelope.kid_unknown");

        String withJwk = nimbusSigned(new JWSHeader.Builder(JWSAlgorithm.Ed25519).type(new JOSEObjectType(EventEnvelope.EVENT_TYP))
                .keyID(stranger.signingKeyId()).jwk(stranger.signingPublicJwk()).build(), post(), new Ed25519JwsSigner(stranger.signingKey()));
        assertThatThrownBy(() -> EventEnvelope.verify(withJwk, trust))
                .extracting(Fixtures::codeOf).isEqualTo("envelope.header_forbidden");
    }

    @Test
    void headers_pointing_at_remote_keys_are_refused() {
        for (String parameter : new String[] {"jku", "x5u", "x5c", "jwk"}) {
            String header = "{\"alg\":\"Ed25519\",\"typ\":\"tsunagu-event+jws\",\"kid\":\"" + minamiminowa.signingKeyId()
                    + "\",\"" + parameter + "\":\"https://attacker.invalid/keys\"}";
            String compact = signedWithHeader(header);
            assertThatThrownBy(() -> EventEnvelope.verify(compact, trust)).as(parameter)
                    .extracting(Fixtures::codeOf).isEqualTo("envelope.header_forbidden");
        }
    }

    @Test
    void alg_none_is_refused() {
        String header = Base64Url.encode("{\"alg\":\"none\",\"typ\":\"tsunagu-event+jws\",\"kid\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        String body = Base64Url.encode(jp.tsunagu.federation.json.CanonicalJson.bytes(post().toJson()));
        assertThatThrownBy(() -> EventEnvelope.verify(header + "." + body + ".", trust))
                .extracting(Fixtures::codeOf).isEqualTo("envelope.alg_not_allowed");
    }

    @Test
    void hs256_keyed_with_the_origins_public_key_is_refused() throws Exception {
        byte[] publicKeyAsSecret = minamiminowa.signingPublicJwk().toJSONString().getBytes(StandardCharsets.UTF_8);
        String confused = nimbusSigned(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(EventEnvelope.EVENT_TYP))
                .keyID(minamiminowa.signingKeyId()).build(), post(), new MACSigner(publicKeyAsSecret));
        assertThatThrownBy(() -> EventEnvelope.verify(confused, trust))
                .extracting(Fixtures::codeOf).isEqualTo("envelope.alg_not_allowed");
    }

    @Test
    void an_agreement_signature_is_not_accepted_as_an_event() {
        String header = "{\"alg\":\"Ed25519\",\"typ\":\"tsunagu-agreement+jws\",\"kid\":\"" + minamiminowa.signingKeyId() + "\"}";
        assertThatThrownBy(() -> EventEnvelope.verify(signedWithHeader(header), trust))
                .extracting(Fixtures::codeOf).isEqualTo("envelope.typ_invalid");
    }

    @Test
    void an_event_signed_before_a_key_rotation_still_verifies_with_the_retired_key() {
        String before = EventEnvelope.sign(post(), minamiminowa);
        NodeIdentity rotated = minamiminowa.rotateSigningKey();
        TrustStore afterRotation = TrustStore.of(List.of(ina.card(), rotated.card()));

        assertThat(EventEnvelope.verify(before, afterRotation).keyId()).isEqualTo(minamiminowa.signingKeyId());
        assertThat(EventEnvelope.verify(EventEnvelope.sign(post(), rotated), afterRotation).keyId()).isEqualTo(rotated.signingKeyId());
    }

    @Test
    void nimbus_verifies_our_envelopes_with_the_bouncy_castle_backed_ed25519_verifier() throws Exception {
        JWSObject parsed = JWSObject.parse(EventEnvelope.sign(post(), minamiminowa));
        assertThat(parsed.verify(new Ed25519JwsVerifier(minamiminowa.card().signingKey()))).isTrue();
        assertThat(parsed.getHeader().getType().getType()).isEqualTo(EventEnvelope.EVENT_TYP);
    }

    @Test
    void garbage_is_malformed() {
        for (String garbage : new String[] {"", "a.b", "a.b.c.d", "!!!.???.***"}) {
            assertThatThrownBy(() -> EventEnvelope.verify(garbage, trust)).as(garbage)
                    .extracting(Fixtures::codeOf).isEqualTo("envelope.malformed");
        }
    }

    private String signedWithHeader(String headerJson) {
        String header = Base64Url.encode(headerJson.getBytes(StandardCharsets.UTF_8));
        String body = Base64Url.encode(jp.tsunagu.federation.json.CanonicalJson.bytes(post().toJson()));
        byte[] signature = minamiminowa.sign((header + "." + body).getBytes(StandardCharsets.US_ASCII));
        return header + "." + body + "." + Base64Url.encode(signature);
    }

    private static String nimbusSigned(JWSHeader header, Event event, com.nimbusds.jose.JWSSigner signer) throws Exception {
        JWSObject jws = new JWSObject(header, new Payload(jp.tsunagu.federation.json.CanonicalJson.bytes(event.toJson())));
        jws.sign(signer);
        return jws.serialize();
    }
}
