package jp.tsunagu.federation.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.tsunagu.federation.Fixtures;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.jws.TrustStore;

class AccessReadsExchangeTest {
    @TempDir
    Path temp;

    private static AccessReadsExchange.Reads reads(String node) {
        return new AccessReadsExchange.Reads("req-1", node, "board-1", "2026-11", List.of(
                new AccessReadsExchange.Reader("mm-nurse@" + node, "南箕 花子", "看護師", "みなみみのわ訪問看護ステーション", 3,
                        List.of("2026-11-02", "2026-11-09"))));
    }

    @Test
    void a_signed_request_for_a_boards_month_verifies_as_it_was_sent_and_only_its_node_signs_it() {
        NodeIdentity ina = Fixtures.identity(temp.resolve("ina"), "ina");
        AccessReadsExchange.Request sent = new AccessReadsExchange.Request("req-1", "ina", "board-1", "2026-11",
                Instant.parse("2026-12-01T00:00:00Z"));

        assertThat(AccessReadsExchange.Request.verify(sent.sign(ina), TrustStore.of(List.of(ina.card())))).isEqualTo(sent);
        assertThatThrownBy(() -> new AccessReadsExchange.Request("req-1", "minowa", "board-1", "2026-11", Instant.now())
                .sign(ina)).extracting(Fixtures::codeOf).isEqualTo("access_reads_request.node_mismatch");
    }

    @Test
    void the_reads_verify_as_the_partner_asked_sent_them_and_as_no_other_node() {
        NodeIdentity mm = Fixtures.identity(temp.resolve("minamiminowa"), "minamiminowa");
        NodeIdentity minowa = Fixtures.identity(temp.resolve("minowa"), "minowa");
        TrustStore both = TrustStore.of(List.of(mm.card(), minowa.card()));
        String signed = reads("minamiminowa").sign(mm);

        assertThat(AccessReadsExchange.Reads.verify(signed, both, "minamiminowa")).isEqualTo(reads("minamiminowa"));
        assertThatThrownBy(() -> AccessReadsExchange.Reads.verify(signed, both, "minowa"))
                .extracting(Fixtures::codeOf).isEqualTo("access_reads.node_mismatch");
    }

    @Test
    void reads_with_a_count_changed_on_the_way_are_refused() {
        NodeIdentity mm = Fixtures.identity(temp.resolve("minamiminowa"), "minamiminowa");
        String[] parts = reads("minamiminowa").sign(mm).split("\\.");
        String changed = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"count\":3",
                        "\"count\":1").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertThatThrownBy(() -> AccessReadsExchange.Reads.verify(changed, TrustStore.of(List.of(mm.card())),
                "minamiminowa")).extracting(Fixtures::codeOf).isEqualTo("access_reads.signature_invalid");
    }
}
