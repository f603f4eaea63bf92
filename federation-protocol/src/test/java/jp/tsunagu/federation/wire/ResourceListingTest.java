package jp.tsunagu.federation.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.tsunagu.federation.Fixtures;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.CanonicalJson;
import jp.tsunagu.federation.jws.Base64Url;
import jp.tsunagu.federation.jws.JwsSignature;
import jp.tsunagu.federation.jws.TrustStore;

class ResourceListingTest {
    @TempDir
    Path temp;

    private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

    private static Map<String, Object> salon() {
        Map<String, Object> salon = new LinkedHashMap<>();
        salon.put("id", "r1");
        salon.put("name", "南箕輪ふれあいサロン");
        salon.put("tags", List.of("室内", "おしゃべり"));
        return salon;
    }

    @Test
    void a_listing_verifies_for_any_holder_of_the_publishers_key_however_it_was_delivered() {
        NodeIdentity minamiminowa = Fixtures.identity(temp, "minamiminowa");
        NodeIdentity ina = Fixtures.identity(temp, "ina");
        ResourceListing signed = ResourceListing.sign(minamiminowa, Map.of("tags", List.of("室内")), List.of(salon()), NOW);

        // ina keeps the copy and hands on only the compact form; a reader trusting both still checks minamiminowa.
        ResourceListing read = ResourceListing.verify(signed.compact(), TrustStore.of(List.of(ina.card(), minamiminowa.card())));
        assertThat(read.node()).isEqualTo("minamiminowa");
        assertThat(read.issuedAt()).isEqualTo(NOW);
        assertThat(read.resources()).containsExactly(salon());
        assertThat(read.vocabulary()).containsEntry("tags", List.of("室内"));
    }

    @Test
    void a_changed_listing_or_an_unknown_signer_is_refused() {
        NodeIdentity minamiminowa = Fixtures.identity(temp, "minamiminowa");
        TrustStore trust = TrustStore.of(List.of(minamiminowa.card()));
        String[] parts = ResourceListing.sign(minamiminowa, Map.of(), List.of(salon()), NOW).compact().split("\\.");
        String body = new String(Base64Url.decode(parts[1], "x"), StandardCharsets.UTF_8).replace("サロン", "詐欺");
        String changed = parts[0] + "." + Base64Url.encode(body.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThatThrownBy(() -> ResourceListing.verify(changed, trust)).extracting(Fixtures::codeOf)
                .isEqualTo("listing.signature_invalid");
        assertThatThrownBy(() -> ResourceListing.verify(parts[0] + "." + parts[1], trust)).extracting(Fixtures::codeOf)
                .isEqualTo("listing.malformed");
        assertThatThrownBy(() -> ResourceListing.verify(String.join(".", parts), TrustStore.empty()))
                .extracting(Fixtures::codeOf).isEqualTo("listing.kid_unknown");
    }

    @Test
    void a_listing_signed_by_one_partner_in_the_name_of_another_is_refused() {
        NodeIdentity minamiminowa = Fixtures.identity(temp, "minamiminowa");
        NodeIdentity minowa = Fixtures.identity(temp, "minowa");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("v", 1L);
        body.put("node", "minamiminowa");
        body.put("issuedAt", NOW.toString());
        body.put("vocabulary", Map.of());
        body.put("resources", List.of());
        String payload = Base64Url.encode(CanonicalJson.bytes(body));
        JwsSignature signature = JwsSignature.sign(minowa.signingKey(), ResourceListing.TYP, Map.of(), payload);
        String forged = signature.protectedHeader() + "." + payload + "." + signature.signature();
        assertThatThrownBy(() -> ResourceListing.verify(forged, TrustStore.of(List.of(minamiminowa.card(), minowa.card()))))
                .extracting(Fixtures::codeOf).isEqualTo("listing.node_mismatch");
    }

    @Test
    void a_hello_is_not_accepted_as_a_listing() {
        NodeIdentity minamiminowa = Fixtures.identity(temp, "minamiminowa");
        String hello = HelloResponse.sign(minamiminowa, List.of(), NOW);
        assertThatThrownBy(() -> ResourceListing.verify(hello, TrustStore.of(List.of(minamiminowa.card()))))
                .extracting(Fixtures::codeOf).isEqualTo("listing.typ_invalid");
    }
}
