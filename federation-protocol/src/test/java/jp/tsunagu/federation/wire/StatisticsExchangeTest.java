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
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.jws.TrustStore;

class StatisticsExchangeTest {
    @TempDir
    Path temp;

    private static StatisticsExchange.Summary summary(String node) {
        return new StatisticsExchange.Summary("req-1", node, Map.of("care.posts", "記事", "care.patients", "登録患者"),
                Map.of("2026-11", Map.of("care.patients", 12L)), Map.of("2026-11", List.of("care.posts")));
    }

    @Test
    void a_signed_request_verifies_for_a_partner_as_it_was_sent() {
        NodeIdentity ina = Fixtures.identity(temp.resolve("ina"), "ina");
        StatisticsExchange.Request sent = new StatisticsExchange.Request("req-1", "ina", "2025-12", "2026-11",
                Instant.parse("2026-12-01T00:00:00Z"));

        assertThat(StatisticsExchange.Request.verify(sent.sign(ina), TrustStore.of(List.of(ina.card())))).isEqualTo(sent);
        assertThatThrownBy(() -> new StatisticsExchange.Request("req-1", "minowa", "2025-12", "2026-11", Instant.now())
                .sign(ina)).extracting(Fixtures::codeOf).isEqualTo("statistics_request.node_mismatch");
    }

    @Test
    void a_summary_verifies_as_the_partner_asked_with_its_suppressed_keys_and_nothing_else() {
        NodeIdentity mm = Fixtures.identity(temp.resolve("minamiminowa"), "minamiminowa");
        NodeIdentity minowa = Fixtures.identity(temp.resolve("minowa"), "minowa");
        TrustStore both = TrustStore.of(List.of(mm.card(), minowa.card()));
        String signed = summary("minamiminowa").sign(mm);

        StatisticsExchange.Summary received = StatisticsExchange.Summary.verify(signed, both, "minamiminowa");

        assertThat(received.months()).isEqualTo(Map.of("2026-11", Map.of("care.patients", 12L)));
        assertThat(received.suppressed()).isEqualTo(Map.of("2026-11", List.of("care.posts")));
        assertThatThrownBy(() -> StatisticsExchange.Summary.verify(signed, both, "minowa"))
                .extracting(Fixtures::codeOf).isEqualTo("statistics_summary.node_mismatch");
    }

    @Test
    void a_summary_with_a_count_changed_on_the_way_is_refused() {
        NodeIdentity mm = Fixtures.identity(temp.resolve("minamiminowa"), "minamiminowa");
        String[] parts = summary("minamiminowa").sign(mm).split("\\.");
        String changed = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("12", "99")
                        .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertThatThrownBy(() -> StatisticsExchange.Summary.verify(changed, TrustStore.of(List.of(mm.card())),
                "minamiminowa")).extracting(Fixtures::codeOf).isEqualTo("statistics_summary.signature_invalid");
    }
}
