package jp.tsunagu.federation.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.tsunagu.federation.Fixtures;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.jws.TrustStore;

class EmergencyRequestTest {
    @TempDir
    Path temp;

    private static EmergencyRequest request(String node) {
        return new EmergencyRequest("req-1", node, new FederatedId("kyukyu", node), EmergencyRequest.RESPONDER_ROLE,
                "救急 一郎", "意識障害", "R7-01234", EmergencyRequest.OPEN, "patient-1", Map.of(),
                Instant.parse("2025-04-01T00:00:00Z"), "");
    }

    @Test
    void a_signed_request_verifies_for_a_partner_with_everything_it_names() {
        NodeIdentity ina = Fixtures.identity(temp.resolve("ina"), "ina");
        EmergencyRequest sent = request("ina");

        EmergencyRequest received = EmergencyRequest.verify(sent.sign(ina), TrustStore.of(List.of(ina.card())));

        assertThat(received).isEqualTo(sent);
    }

    @Test
    void a_node_cannot_sign_for_another_nodes_responder() {
        NodeIdentity ina = Fixtures.identity(temp.resolve("ina"), "ina");
        assertThatThrownBy(() -> request("minowa").sign(ina)).extracting(Fixtures::codeOf)
                .isEqualTo("emergency_request.node_mismatch");
    }

    @Test
    void a_request_naming_one_node_but_signed_by_another_partner_is_refused() {
        NodeIdentity ina = Fixtures.identity(temp.resolve("ina"), "ina");
        NodeIdentity minowa = Fixtures.identity(temp.resolve("minowa"), "minowa");
        String[] parts = request("minowa").sign(minowa).split("\\.");
        String claimsIna = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("minowa", "ina")
                        .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        TrustStore both = TrustStore.of(List.of(ina.card(), minowa.card()));

        assertThatThrownBy(() -> EmergencyRequest.verify(claimsIna, both)).extracting(Fixtures::codeOf)
                .isEqualTo("emergency_request.signature_invalid");
        assertThatThrownBy(() -> EmergencyRequest.verify(request("ina").sign(ina), TrustStore.of(List.of(minowa.card()))))
                .extracting(Fixtures::codeOf).isEqualTo("emergency_request.kid_unknown");
    }
}
