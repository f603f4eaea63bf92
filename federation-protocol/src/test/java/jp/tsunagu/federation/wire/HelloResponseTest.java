package jp.tsunagu.federation.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.tsunagu.federation.Fixtures;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.jws.TrustStore;

class HelloResponseTest {
    @TempDir
    Path temp;

    @Test
    void a_signed_hello_verifies_for_a_partner_and_names_the_shared_agreements() {
        NodeIdentity ina = Fixtures.identity(temp, "ina");
        List<SharedAgreement> shared = List.of(new SharedAgreement("kamiina", 2, "ab".repeat(32), "active"));
        Instant now = Instant.parse("2025-04-01T00:00:00Z");

        HelloResponse hello = HelloResponse.verify(HelloResponse.sign(ina, shared, now), TrustStore.of(List.of(ina.card())));
        assertThat(hello.node()).isEqualTo(ina.card());
        assertThat(hello.agreements()).isEqualTo(shared);
        assertThat(hello.time()).isEqualTo(now);
    }

    @Test
    void a_hello_from_a_node_outside_the_trust_store_is_refused() {
        NodeIdentity ina = Fixtures.identity(temp, "ina");
        assertThatThrownBy(() -> HelloResponse.verify(HelloResponse.sign(ina, List.of(), Instant.now()), TrustStore.empty()))
                .extracting(Fixtures::codeOf).isEqualTo("hello.kid_unknown");
    }
}
