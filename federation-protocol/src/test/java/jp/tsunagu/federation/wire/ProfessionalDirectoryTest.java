package jp.tsunagu.federation.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import jp.tsunagu.federation.Fixtures;
import jp.tsunagu.federation.identity.FederatedId;

class ProfessionalDirectoryTest {

    private static final ProfessionalDirectory.Entry NURSE = new ProfessionalDirectory.Entry("kango.tanaka@minamiminowa",
            "田中 花子", "nurse", "看護師", "みなみみのわ訪問看護ステーション");

    @Test
    void an_answer_reads_back_as_written() {
        ProfessionalDirectory answer = new ProfessionalDirectory("minamiminowa", List.of(NURSE));
        assertThat(ProfessionalDirectory.parse(answer.toJsonText(), "minamiminowa")).isEqualTo(answer);
    }

    @Test
    void members_beyond_name_profession_facility_and_id_are_dropped_when_read() {
        String text = "{\"node\":\"minamiminowa\",\"professionals\":[{\"federatedId\":\"kango.tanaka@minamiminowa\","
                + "\"name\":\"田中 花子\",\"profession\":\"nurse\",\"professionName\":\"看護師\",\"facility\":\"訪問看護\","
                + "\"email\":\"hanako@example.jp\",\"phone\":\"0265-00-0000\"}]}";
        ProfessionalDirectory read = ProfessionalDirectory.parse(text, "minamiminowa");
        assertThat(read.professionals().get(0).toJson()).containsOnlyKeys("federatedId", "name", "profession",
                "professionName", "facility");
        assertThat(read.toJsonText()).doesNotContain("example.jp").doesNotContain("0265");
    }

    @Test
    void an_answer_speaking_for_another_node_is_refused() {
        String otherNode = new ProfessionalDirectory("minowa", List.of()).toJsonText();
        assertThatThrownBy(() -> ProfessionalDirectory.parse(otherNode, "minamiminowa"))
                .extracting(Fixtures::codeOf).isEqualTo("directory.node_mismatch");
        String foreignEntry = new ProfessionalDirectory("minamiminowa", List.of(new ProfessionalDirectory.Entry(
                "someone@minowa", "箕輪 太郎", "doctor", "医師", "箕輪診療所"))).toJsonText();
        assertThatThrownBy(() -> ProfessionalDirectory.parse(foreignEntry, "minamiminowa"))
                .extracting(Fixtures::codeOf).isEqualTo("directory.node_mismatch");
    }

    @Test
    void a_malformed_answer_gets_directory_malformed() {
        for (String text : List.of("not json", "[]", "{\"node\":\"minamiminowa\"}",
                "{\"node\":\"minamiminowa\",\"professionals\":[{\"federatedId\":\"x@minamiminowa\"}]}",
                "{\"node\":\"minamiminowa\",\"professionals\":[{\"federatedId\":\"kango@minamiminowa\",\"name\":\"a\u0007\","
                        + "\"profession\":\"nurse\",\"professionName\":\"看護師\",\"facility\":\"f\"}]}")) {
            assertThatThrownBy(() -> ProfessionalDirectory.parse(text, "minamiminowa")).as(text)
                    .extracting(Fixtures::codeOf).isEqualTo("directory.malformed");
        }
    }

    @Test
    void a_search_text_is_required_short_and_free_of_control_characters() {
        assertThat(ProfessionalDirectory.requireQuery("  田中 ")).isEqualTo("田中");
        assertThat(ProfessionalDirectory.requireQuery("あ".repeat(40))).hasSize(40);
        assertThatThrownBy(() -> ProfessionalDirectory.requireQuery(null)).extracting(Fixtures::codeOf)
                .isEqualTo("directory.query_required");
        assertThatThrownBy(() -> ProfessionalDirectory.requireQuery(" \u3000")).extracting(Fixtures::codeOf)
                .isEqualTo("directory.query_required");
        assertThatThrownBy(() -> ProfessionalDirectory.requireQuery("あ".repeat(41))).extracting(Fixtures::codeOf)
                .isEqualTo("directory.query_too_long");
        assertThatThrownBy(() -> ProfessionalDirectory.requireQuery("田\n中")).extracting(Fixtures::codeOf)
                .isEqualTo("directory.query_invalid");
    }

    @Test
    void a_federated_id_is_a_login_id_at_a_node_name() {
        assertThat(FederatedId.parse("kango.tanaka@minamiminowa")).isEqualTo(new FederatedId("kango.tanaka", "minamiminowa"));
        for (String bad : List.of("kango", "@minowa", "kango@", "ka@minowa", "kango@Minowa", "a@b@minowa", "kango@m")) {
            assertThatThrownBy(() -> FederatedId.parse(bad)).as(bad).extracting(Fixtures::codeOf)
                    .isEqualTo("federated_id.invalid");
            assertThat(FederatedId.tryParse(bad)).as(bad).isEmpty();
        }
        assertThat(FederatedId.tryParse(null)).isEmpty();
        assertThat(FederatedId.tryParse("mm-nurse@minamiminowa")).contains(new FederatedId("mm-nurse", "minamiminowa"));
    }
}
