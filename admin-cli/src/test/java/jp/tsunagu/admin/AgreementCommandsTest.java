package jp.tsunagu.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.tsunagu.federation.json.Json;

/** The Kamiina pact through the CLI: 伊那市 and 南箕輪村 in 2024, 箕輪町 joining in 2025. */
class AgreementCommandsTest {
    static final String TITLE = "上伊那地域在宅医療・介護連携に関する広域連携協定";
    static final String AUGUST_2024 = "2024-08-01T00:00:00Z";
    static final String MAY_2025 = "2025-05-01T00:00:00Z";

    @TempDir
    Path temp;

    @BeforeEach
    void identities() {
        init("ina", "202096");
        init("minamiminowa", "203858");
        init("minowa", "203831");
    }

    void init(String name, String code) {
        Cli.Result result = Cli.run("node", "init", "--dir", temp.resolve(name), "--name", name, "--municipality", code,
                "--endpoint", "https://" + name + ".tsunagu.test:8443");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Cli.run("node", "export-card", "--dir", temp.resolve(name), "--out", card(name)).exitCode()).isZero();
    }

    Path card(String name) {
        return temp.resolve(name + ".card.json");
    }

    Path file(String name) {
        return temp.resolve(name);
    }

    void ok(Object... args) {
        Cli.Result result = Cli.run(args);
        assertThat(result.exitCode()).as(result.err()).isZero();
    }

    Path kamiinaV1() {
        ok("agreement", "draft", "--id", "kamiina", "--title", TITLE, "--card", card("ina"), "--card", card("minamiminowa"),
                "--scope", "care-team,resources-directory", "--valid-days", "1095", "--not-before", "2024-07-01",
                "--retention-days", "180", "--out", file("v1.draft.json"));
        ok("agreement", "sign", "--identity", temp.resolve("ina"), "--out", file("v1.ina.json"), file("v1.draft.json"));
        ok("agreement", "sign", "--identity", temp.resolve("minamiminowa"), "--out", file("v1.mm.json"), file("v1.draft.json"));
        ok("agreement", "merge", "--out", file("v1.json"), file("v1.ina.json"), file("v1.mm.json"));
        return file("v1.json");
    }

    @Test
    void two_founders_draft_sign_separately_merge_and_verify_an_active_agreement() {
        Path v1 = kamiinaV1();
        Cli.Result verify = Cli.run("agreement", "verify", "--at", AUGUST_2024, v1);
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("status:   active").contains("ina").contains("minamiminowa").contains("signed")
                .contains("202096").contains(TITLE);
    }

    @Test
    void verify_json_reports_each_partys_status() {
        Path v1 = kamiinaV1();
        Cli.Result verify = Cli.run("agreement", "verify", "--json", "--at", AUGUST_2024, v1);
        var report = Json.parseObject(verify.out());
        assertThat(report).containsEntry("status", "active").containsEntry("retentionDays", 180L);
        assertThat(report.get("parties").toString()).contains("node=ina").contains("status=signed");
    }

    @Test
    void a_partly_signed_agreement_verifies_as_a_draft_with_exit_code_one() {
        kamiinaV1();
        Cli.Result verify = Cli.run("agreement", "verify", "--at", AUGUST_2024, file("v1.ina.json"));
        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.out()).contains("status:   draft").contains("unsigned");
    }

    @Test
    void an_expired_or_not_yet_valid_agreement_exits_with_one() {
        Path v1 = kamiinaV1();
        assertThat(Cli.run("agreement", "verify", "--at", "2024-06-01T00:00:00Z", v1).out()).contains("not-yet-valid");
        Cli.Result expired = Cli.run("agreement", "verify", "--at", "2030-01-01T00:00:00Z", v1);
        assertThat(expired.exitCode()).isEqualTo(1);
        assertThat(expired.out()).contains("expired");
    }

    @Test
    void minowa_joins_by_an_amendment_signed_by_all_three() {
        Path v1 = kamiinaV1();
        ok("agreement", "draft", "--replaces", v1, "--title", TITLE, "--card", card("ina"), "--card", card("minamiminowa"),
                "--card", card("minowa"), "--scope", "care-team,resources-directory", "--valid-days", "730",
                "--not-before", "2025-04-01", "--out", file("v2.draft.json"));
        ok("agreement", "sign", "--identity", temp.resolve("ina"), "--out", file("v2.a.json"), file("v2.draft.json"));
        ok("agreement", "sign", "--identity", temp.resolve("minamiminowa"), "--out", file("v2.b.json"), file("v2.a.json"));

        Cli.Result lacking = Cli.run("agreement", "verify", "--predecessor", v1, "--at", MAY_2025, file("v2.b.json"));
        assertThat(lacking.exitCode()).isEqualTo(1);
        assertThat(lacking.out()).contains("draft").contains("joining parties unsigned: minowa");

        ok("agreement", "sign", "--identity", temp.resolve("minowa"), "--out", file("v2.json"), file("v2.b.json"));
        Cli.Result verify = Cli.run("agreement", "verify", "--predecessor", v1, "--at", MAY_2025, file("v2.json"));
        assertThat(verify.exitCode()).as(verify.out()).isZero();
        assertThat(Json.parseObject(Cli.run("agreement", "verify", "--json", "--at", MAY_2025, file("v2.json")).out()))
                .containsEntry("version", 2L);
    }

    @Test
    void a_failed_sign_writes_no_output_file() {
        kamiinaV1();
        Path out = file("by-minowa.json");
        Cli.Result result = Cli.run("agreement", "sign", "--identity", temp.resolve("minowa"), "--out", out, file("v1.draft.json"));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).startsWith("error: agreement.not_a_party:");
        assertThat(out).doesNotExist();
    }

    @Test
    void signing_a_tampered_file_is_refused_with_exit_code_one() throws Exception {
        kamiinaV1();
        String signed = Files.readString(file("v1.ina.json"));
        var json = Json.parseObject(signed);
        String payload = new String(java.util.Base64.getUrlDecoder().decode((String) json.get("payload")), java.nio.charset.StandardCharsets.UTF_8);
        json.put("payload", java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.replace("\"retentionDays\":180", "\"retentionDays\":1").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Files.writeString(file("tampered.json"), Json.write(json));

        Cli.Result result = Cli.run("agreement", "sign", "--identity", temp.resolve("minamiminowa"), "--out", file("t.out.json"), file("tampered.json"));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: agreement.signature_invalid:");
        assertThat(file("t.out.json")).doesNotExist();
    }

    @Test
    void merging_different_payloads_is_refused_and_writes_nothing() {
        kamiinaV1();
        ok("agreement", "draft", "--id", "kamiina", "--title", TITLE, "--card", card("ina"), "--card", card("minamiminowa"),
                "--scope", "care-team", "--valid-days", "365", "--not-before", "2024-07-01", "--out", file("other.draft.json"));
        ok("agreement", "sign", "--identity", temp.resolve("minamiminowa"), "--out", file("other.mm.json"), file("other.draft.json"));
        Cli.Result result = Cli.run("agreement", "merge", "--out", file("merged.json"), file("v1.ina.json"), file("other.mm.json"));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).startsWith("error: agreement.payload_mismatch:");
        assertThat(file("merged.json")).doesNotExist();
    }

    @Test
    void truncated_and_non_json_files_are_input_errors() throws Exception {
        Path v1 = kamiinaV1();
        String text = Files.readString(v1);
        Files.writeString(file("truncated.json"), text.substring(0, text.length() / 3));
        Files.writeString(file("garbage.json"), "協定書");
        for (Path bad : new Path[] {file("truncated.json"), file("garbage.json")}) {
            Cli.Result result = Cli.run("agreement", "verify", bad);
            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(result.err()).startsWith("error: agreement.not_json:");
        }
        Cli.Result missing = Cli.run("agreement", "verify", file("nothing.json"));
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.err()).startsWith("error: no such file:");
    }

    @Test
    void a_withdrawal_marks_the_party_withdrawn() {
        Path v1 = kamiinaV1();
        ok("agreement", "withdraw", "--identity", temp.resolve("minamiminowa"), "--agreement", v1, "--out", file("w.json"));
        Cli.Result verify = Cli.run("agreement", "verify", "--withdrawal", file("w.json"), "--at", AUGUST_2024, v1);
        assertThat(verify.out()).containsPattern("minamiminowa\\s+withdrawn");
    }

    @Test
    void a_pact_may_allow_the_statistics_scope_for_its_usage_report() throws Exception {
        ok("agreement", "draft", "--id", "kamiina-stats", "--title", TITLE, "--card", card("ina"), "--card",
                card("minamiminowa"), "--scope", "statistics", "--valid-days", "365", "--not-before", "2024-07-01",
                "--out", file("stats.draft.json"));
        String payload = (String) Json.parseObject(Files.readString(file("stats.draft.json"))).get("payload");
        assertThat(new String(java.util.Base64.getUrlDecoder().decode(payload), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"scopes\":[\"statistics\"]");
    }

    @Test
    void a_wide_area_union_may_allow_the_certification_review_scope() throws Exception {
        ok("agreement", "draft", "--id", "kamiina-shinsa", "--title", TITLE, "--card", card("ina"), "--card",
                card("minamiminowa"), "--scope", "certification-review", "--valid-days", "365", "--not-before",
                "2024-07-01", "--out", file("shinsa.draft.json"));
        String payload = (String) Json.parseObject(Files.readString(file("shinsa.draft.json"))).get("payload");
        assertThat(new String(java.util.Base64.getUrlDecoder().decode(payload), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"scopes\":[\"certification-review\"]");
    }

    @Test
    void draft_with_an_unknown_scope_or_bad_rule_is_refused() {
        Cli.Result scope = Cli.run("agreement", "draft", "--id", "kamiina", "--title", TITLE, "--card", card("ina"), "--card", card("minowa"),
                "--scope", "everything", "--valid-days", "10", "--out", file("x.json"));
        assertThat(scope.err()).startsWith("error: agreement.scope_unknown:");
        Cli.Result rule = Cli.run("agreement", "draft", "--id", "kamiina", "--title", TITLE, "--card", card("ina"), "--card", card("minowa"),
                "--scope", "care-team", "--valid-days", "10", "--amendment-rule", "majority", "--out", file("x.json"));
        assertThat(rule.err()).startsWith("error: agreement.amendment_rule_invalid:");
        assertThat(file("x.json")).doesNotExist();
    }
}
