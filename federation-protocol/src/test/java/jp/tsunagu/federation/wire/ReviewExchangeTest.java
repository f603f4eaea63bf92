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

class ReviewExchangeTest {
    @TempDir
    Path temp;

    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void a_package_verifies_with_its_cases_and_material_bytes_as_sent() {
        NodeIdentity ina = Fixtures.identity(temp.resolve("ina"), "ina");
        byte[] pdf = "%PDF-1.7 minimal".getBytes(StandardCharsets.US_ASCII);
        ReviewExchange.MaterialsPackage sent = new ReviewExchange.MaterialsPackage("ina", "minamiminowa", "u-1", "s-1",
                "第3合議体", AT, AT.plusSeconds(3600), List.of(new ReviewExchange.Case("c-1", "第3合議体 12/10 事例01",
                        "care_3", "夜間にトイレへ3回", List.of(new ReviewExchange.Material("m-1", "doctor_opinion",
                                "主治医意見書", pdf)))), AT);

        ReviewExchange.MaterialsPackage received = ReviewExchange.MaterialsPackage.verify(sent.sign(ina),
                TrustStore.of(List.of(ina.card())));

        assertThat(received.cases().get(0).label()).isEqualTo("第3合議体 12/10 事例01");
        assertThat(received.cases().get(0).materials().get(0).content()).isEqualTo(pdf);
        assertThat(received.deadline()).isEqualTo(AT.plusSeconds(3600));
        assertThatThrownBy(() -> sent.sign(Fixtures.identity(temp.resolve("minowa"), "minowa")))
                .extracting(Fixtures::codeOf).isEqualTo("review_package.node_mismatch");
    }

    @Test
    void an_opinion_changed_on_the_way_or_signed_by_an_unknown_node_is_refused() {
        NodeIdentity mm = Fixtures.identity(temp.resolve("minamiminowa"), "minamiminowa");
        NodeIdentity stranger = Fixtures.identity(temp.resolve("minowa"), "minowa");
        ReviewExchange.Opinion sent = new ReviewExchange.Opinion("minamiminowa", "ina", "u-1", "s-1", "c-1", false,
                "care_4", "doctor_opinion_more", 6, "", AT);
        TrustStore trust = TrustStore.of(List.of(mm.card()));
        assertThat(ReviewExchange.Opinion.verify(sent.sign(mm), trust)).isEqualTo(sent);

        String[] parts = sent.sign(mm).split("\\.");
        String changed = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("care_4", "care_5")
                        .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThatThrownBy(() -> ReviewExchange.Opinion.verify(changed, trust)).extracting(Fixtures::codeOf)
                .isEqualTo("review_opinion.signature_invalid");
        String foreign = new ReviewExchange.Opinion("minowa", "ina", "u-1", "s-1", "c-1", true, "", "", 12, "", AT)
                .sign(stranger);
        assertThatThrownBy(() -> ReviewExchange.Opinion.verify(foreign, trust)).extracting(Fixtures::codeOf)
                .asString().startsWith("review_opinion.");
    }

    @Test
    void an_opinions_view_verifies_as_sent_and_a_package_carries_the_meeting_s_end_and_link() {
        NodeIdentity ina = Fixtures.identity(temp.resolve("ina"), "ina");
        TrustStore trust = TrustStore.of(List.of(ina.card()));
        ReviewExchange.OpinionEntry mine = new ReviewExchange.OpinionEntry("大芝 花子", false, "care_4",
                "doctor_opinion_more", 6, "夜間の介護", "2026-12-01T00:00:00Z");
        ReviewExchange.OpinionEntry other = new ReviewExchange.OpinionEntry("北原 花子", true, "care_3", "", 12, "",
                "2026-12-01T01:00:00Z");
        ReviewExchange.OpinionsView sent = new ReviewExchange.OpinionsView("ina", "minamiminowa", "u-1", "s-1",
                List.of(new ReviewExchange.CaseOpinions("c-1", mine, true, List.of(other)),
                        new ReviewExchange.CaseOpinions("c-2", null, false, List.of())), AT);

        assertThat(ReviewExchange.OpinionsView.verify(sent.sign(ina), trust)).isEqualTo(sent);
        String[] parts = sent.sign(ina).split("\\.");
        String changed = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("care_3", "care_1")
                        .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThatThrownBy(() -> ReviewExchange.OpinionsView.verify(changed, trust)).extracting(Fixtures::codeOf)
                .isEqualTo("review_opinions.signature_invalid");

        ReviewExchange.MaterialsPackage p = new ReviewExchange.MaterialsPackage("ina", "minamiminowa", "u-1", "s-1",
                "第3合議体", AT, AT.plusSeconds(3600), List.of(), AT, AT.plusSeconds(7200), "https://meet.example/x");
        ReviewExchange.MaterialsPackage got = ReviewExchange.MaterialsPackage.verify(p.sign(ina), trust);
        assertThat(got.endsAt()).isEqualTo(AT.plusSeconds(7200));
        assertThat(got.videoUrl()).isEqualTo("https://meet.example/x");
    }
}
