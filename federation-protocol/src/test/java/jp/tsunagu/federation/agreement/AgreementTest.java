package jp.tsunagu.federation.agreement;

import static jp.tsunagu.federation.agreement.AgreementFixtures.APRIL_2025;
import static jp.tsunagu.federation.agreement.AgreementFixtures.JULY_2024;
import static jp.tsunagu.federation.agreement.AgreementFixtures.amendment;
import static jp.tsunagu.federation.agreement.AgreementFixtures.original;
import static jp.tsunagu.federation.agreement.AgreementFixtures.signedBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.tsunagu.federation.Fixtures;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.jws.Base64Url;

class AgreementTest {
    @TempDir
    Path temp;
    NodeIdentity ina;
    NodeIdentity minamiminowa;
    NodeIdentity minowa;
    static final Instant AUGUST_2024 = Instant.parse("2024-08-01T00:00:00Z");

    @BeforeEach
    void identities() {
        ina = Fixtures.identity(temp, "ina");
        minamiminowa = Fixtures.identity(temp, "minamiminowa");
        minowa = Fixtures.identity(temp, "minowa");
    }

    AgreementDocument kamiinaV1() {
        return signedBy(original(AmendmentRule.UNANIMOUS, ina, minamiminowa), ina, minamiminowa);
    }

    @Test
    void an_agreement_signed_by_every_party_is_active_within_its_validity() {
        AgreementDocument document = AgreementDocument.parse(kamiinaV1().toPrettyJson());
        AgreementReport report = AgreementVerifier.verify(document, AUGUST_2024);

        assertThat(report.status()).isEqualTo(AgreementStatus.ACTIVE);
        assertThat(report.parties()).extracting(PartyReport::node, PartyReport::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ina", PartyStatus.SIGNED),
                        org.assertj.core.groups.Tuple.tuple("minamiminowa", PartyStatus.SIGNED));
        assertThat(document.sha256()).isEqualTo(kamiinaV1().sha256());
        assertThat(document.agreement().party("ina").orElseThrow().tlsPin()).isEqualTo(ina.tlsPin());
        report.requireActive();
    }

    @Test
    void each_signature_is_a_separate_entry_whose_protected_header_names_the_party() {
        Map<String, Object> file = Json.parseObject(kamiinaV1().toPrettyJson());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> signatures = (List<Map<String, Object>>) file.get("signatures");
        assertThat(signatures).hasSize(2);
        Map<String, Object> header = Json.parseObject(new String(java.util.Base64.getUrlDecoder()
                .decode((String) signatures.get(0).get("protected")), StandardCharsets.UTF_8));
        assertThat(header).containsEntry("alg", "Ed25519").containsEntry("typ", "tsunagu-agreement+jws")
                .containsEntry("kid", ina.signingKeyId()).containsEntry("node", "ina");
    }

    @Test
    void signatures_made_separately_merge_into_one_active_document() {
        AgreementDocument draft = AgreementDocument.draft(original(AmendmentRule.UNANIMOUS, ina, minamiminowa));
        AgreementDocument byIna = AgreementDocument.parse(draft.sign(ina).toPrettyJson());
        AgreementDocument byMinamiminowa = AgreementDocument.parse(draft.sign(minamiminowa).toPrettyJson());

        AgreementDocument merged = AgreementDocument.merge(List.of(byIna, byMinamiminowa));
        assertThat(merged.signedBy()).containsExactly("ina", "minamiminowa");
        assertThat(AgreementVerifier.verify(merged, AUGUST_2024).isActive()).isTrue();
    }

    @Test
    void merging_different_payloads_is_refused() {
        AgreementDocument a = AgreementDocument.draft(original(AmendmentRule.UNANIMOUS, ina, minamiminowa)).sign(ina);
        AgreementDocument b = AgreementDocument.draft(original(AmendmentRule.parse("threshold:1"), ina, minamiminowa)).sign(minamiminowa);
        assertThatThrownBy(() -> AgreementDocument.merge(List.of(a, b)))
                .extracting(Fixtures::codeOf).isEqualTo("agreement.payload_mismatch");
    }

    @Test
    void a_party_missing_leaves_the_agreement_a_draft_that_is_refused_for_import() {
        AgreementDocument partly = signedBy(original(AmendmentRule.UNANIMOUS, ina, minamiminowa), ina);
        AgreementReport report = AgreementVerifier.verify(partly, AUGUST_2024);

        assertThat(report.status()).isEqualTo(AgreementStatus.DRAFT);
        assertThat(report.parties()).extracting(PartyReport::status).containsExactly(PartyStatus.SIGNED, PartyStatus.UNSIGNED);
        assertThatThrownBy(report::requireActive).extracting(Fixtures::codeOf).isEqualTo("agreement.signature_missing");
    }

    @Test
    void a_tampered_payload_fails_signature_verification() {
        Map<String, Object> file = Json.parseObject(kamiinaV1().toPrettyJson());
        String payload = new String(java.util.Base64.getUrlDecoder().decode((String) file.get("payload")), StandardCharsets.UTF_8);
        file.put("payload", Base64Url.encode(payload.replace("\"retentionDays\":180", "\"retentionDays\":3650")
                .getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> AgreementDocument.parse(Json.write(file)))
                .extracting(Fixtures::codeOf).isEqualTo("agreement.signature_invalid");
    }

    @Test
    void a_signature_moved_to_another_party_does_not_verify() {
        Map<String, Object> file = Json.parseObject(kamiinaV1().toPrettyJson());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> signatures = (List<Map<String, Object>>) file.get("signatures");
        // ina's signature value under a header that claims to be minamiminowa's
        String claimsMinamiminowa = Base64Url.encode(("{\"alg\":\"Ed25519\",\"kid\":\"" + minamiminowa.signingKeyId()
                + "\",\"node\":\"minamiminowa\",\"typ\":\"tsunagu-agreement+jws\"}").getBytes(StandardCharsets.UTF_8));
        signatures.get(1).put("protected", claimsMinamiminowa);
        signatures.get(1).put("signature", signatures.get(0).get("signature"));
        assertThatThrownBy(() -> AgreementDocument.parse(Json.write(file)))
                .extracting(Fixtures::codeOf).isEqualTo("agreement.signature_invalid");
    }

    @Test
    void a_signature_header_naming_another_node_than_its_key_is_refused() {
        Map<String, Object> file = Json.parseObject(kamiinaV1().toPrettyJson());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> signatures = (List<Map<String, Object>>) file.get("signatures");
        String header = Base64Url.encode(("{\"alg\":\"Ed25519\",\"kid\":\"" + ina.signingKeyId()
                + "\",\"node\":\"minamiminowa\",\"typ\":\"tsunagu-agreement+jws\"}").getBytes(StandardCharsets.UTF_8));
        signatures.get(1).put("protected", header);
        assertThatThrownBy(() -> AgreementDocument.parse(Json.write(file)))
                .extracting(Fixtures::codeOf).isEqualTo("agreement.kid_mismatch");
    }

    @Test
    void a_signature_by_a_key_of_no_party_is_an_unknown_kid() {
        AgreementDocument draft = AgreementDocument.draft(original(AmendmentRule.UNANIMOUS, ina, minamiminowa));
        Map<String, Object> file = Json.parseObject(draft.toPrettyJson());
        String payloadB64 = (String) file.get("payload");
        var signature = jp.tsunagu.federation.jws.JwsSignature.sign(minowa.signingKey(), AgreementDocument.TYP,
                Map.of("node", "minowa"), payloadB64);
        file.put("signatures", List.of(signature.toJson()));
        assertThatThrownBy(() -> AgreementDocument.parse(Json.write(file)))
                .extracting(Fixtures::codeOf).isEqualTo("agreement.kid_unknown");
    }

    @Test
    void alg_none_is_refused() {
        assertThatThrownBy(() -> AgreementDocument.parse(withSignature("{\"alg\":\"none\",\"kid\":\"" + ina.signingKeyId()
                + "\",\"node\":\"ina\",\"typ\":\"tsunagu-agreement+jws\"}", "")))
                .extracting(Fixtures::codeOf).isEqualTo("agreement.alg_not_allowed");
    }

    @Test
    void hs256_made_with_a_partys_public_key_is_refused() throws Exception {
        String header = "{\"alg\":\"HS256\",\"kid\":\"" + ina.signingKeyId() + "\",\"node\":\"ina\",\"typ\":\"tsunagu-agreement+jws\"}";
        String headerB64 = Base64Url.encode(header.getBytes(StandardCharsets.UTF_8));
        String payloadB64 = (String) Json.parseObject(kamiinaV1().toPrettyJson()).get("payload");
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(ina.signingPublicJwk().toJSONString().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String mac256 = Base64Url.encode(mac.doFinal((headerB64 + "." + payloadB64).getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> AgreementDocument.parse(withSignature(header, mac256)))
                .extracting(Fixtures::codeOf).isEqualTo("agreement.alg_not_allowed");
    }

    @Test
    void an_agreement_before_its_validity_is_not_yet_valid() {
        AgreementReport report = AgreementVerifier.verify(kamiinaV1(), JULY_2024.minus(Duration.ofSeconds(1)));
        assertThat(report.status()).isEqualTo(AgreementStatus.NOT_YET_VALID);
        assertThatThrownBy(report::requireActive).extracting(Fixtures::codeOf).isEqualTo("agreement.not_yet_valid");
    }

    @Test
    void an_agreement_after_its_validity_is_expired() {
        AgreementDocument document = kamiinaV1();
        AgreementReport report = AgreementVerifier.verify(document, document.agreement().notAfter());
        assertThat(report.status()).isEqualTo(AgreementStatus.EXPIRED);
        assertThatThrownBy(report::requireActive).extracting(Fixtures::codeOf).isEqualTo("agreement.expired");
    }

    @Test
    void a_wrong_municipality_check_digit_in_a_party_is_refused() {
        String text = kamiinaV1().toPrettyJson();
        Map<String, Object> file = Json.parseObject(text);
        String payload = new String(java.util.Base64.getUrlDecoder().decode((String) file.get("payload")), StandardCharsets.UTF_8);
        file.put("payload", Base64Url.encode(payload.replace("\"202096\"", "\"202097\"").getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> AgreementDocument.parse(Json.write(file)))
                .extracting(Fixtures::codeOf).isEqualTo("municipality.check_digit_invalid");
    }

    @Test
    void truncated_or_non_json_files_are_refused() {
        String text = kamiinaV1().toPrettyJson();
        for (String bad : new String[] {text.substring(0, text.length() / 2), "", "PK\u0003\u0004", "<agreement/>"}) {
            assertThatThrownBy(() -> AgreementDocument.parse(bad)).extracting(Fixtures::codeOf).isEqualTo("agreement.not_json");
        }
        assertThatThrownBy(() -> AgreementDocument.parse("{\"payload\":\"e30\",\"signatures\":[]}"))
                .extracting(Fixtures::codeOf).isEqualTo("agreement.format_unsupported");
        assertThatThrownBy(() -> AgreementDocument.parse("[]")).extracting(Fixtures::codeOf).isEqualTo("agreement.malformed");
    }

    @Test
    void a_payload_that_is_not_canonical_is_refused() {
        String payload = Base64Url.encode(Json.writePretty(original(AmendmentRule.UNANIMOUS, ina, minamiminowa).toJson())
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> AgreementDocument.parse("{\"payload\":\"" + payload + "\",\"signatures\":[]}"))
                .extracting(Fixtures::codeOf).isEqualTo("agreement.payload_not_canonical");
    }

    @Test
    void signing_twice_or_as_a_stranger_is_refused() {
        AgreementDocument signed = AgreementDocument.draft(original(AmendmentRule.UNANIMOUS, ina, minamiminowa)).sign(ina);
        assertThatThrownBy(() -> signed.sign(ina)).extracting(Fixtures::codeOf).isEqualTo("agreement.already_signed");
        assertThatThrownBy(() -> signed.sign(minowa)).extracting(Fixtures::codeOf).isEqualTo("agreement.not_a_party");
        NodeIdentity rotated = minamiminowa.rotateSigningKey();
        assertThatThrownBy(() -> signed.sign(rotated)).extracting(Fixtures::codeOf).isEqualTo("agreement.key_mismatch");
    }

    @Test
    void minowa_joining_with_both_founders_and_its_own_signature_is_a_valid_amendment() {
        AgreementDocument v1 = kamiinaV1();
        AgreementDocument v2 = signedBy(amendment(v1, ina, minamiminowa, minowa), ina, minamiminowa, minowa);

        AgreementReport report = AgreementVerifier.verify(v2, APRIL_2025.plusSeconds(60), Optional.of(v1), List.of(), false);
        assertThat(report.status()).isEqualTo(AgreementStatus.ACTIVE);

        AgreementSet set = AgreementSet.empty().add(v1).add(v2);
        assertThat(set.latest("kamiina", AUGUST_2024).orElseThrow().status()).isEqualTo(AgreementStatus.NOT_YET_VALID);
        assertThat(set.reports(APRIL_2025.plusSeconds(60))).extracting(AgreementReport::status)
                .containsExactly(AgreementStatus.SUPERSEDED, AgreementStatus.ACTIVE);
        assertThat(set.reports(AUGUST_2024)).extracting(AgreementReport::status)
                .containsExactly(AgreementStatus.ACTIVE, AgreementStatus.NOT_YET_VALID);
    }

    @Test
    void an_amendment_lacking_a_founders_signature_under_a_unanimous_rule_is_refused() {
        AgreementDocument v1 = kamiinaV1();
        AgreementDocument v2 = signedBy(amendment(v1, ina, minamiminowa, minowa), ina, minowa);
        AgreementReport report = AgreementVerifier.verify(v2, APRIL_2025.plusSeconds(60), Optional.of(v1), List.of(), false);

        assertThat(report.status()).isEqualTo(AgreementStatus.DRAFT);
        assertThatThrownBy(report::requireActive).extracting(Fixtures::codeOf).isEqualTo("agreement.amendment_signatures_missing");
    }

    @Test
    void an_amendment_lacking_the_joining_partys_signature_is_refused() {
        AgreementDocument v1 = kamiinaV1();
        AgreementDocument v2 = signedBy(amendment(v1, ina, minamiminowa, minowa), ina, minamiminowa);
        AgreementReport report = AgreementVerifier.verify(v2, APRIL_2025.plusSeconds(60), Optional.of(v1), List.of(), false);
        assertThatThrownBy(report::requireActive).extracting(Fixtures::codeOf).isEqualTo("agreement.amendment_signatures_missing");
    }

    @Test
    void under_a_threshold_rule_one_founder_and_the_joining_party_suffice() {
        AgreementDocument v1 = signedBy(original(AmendmentRule.parse("threshold:1"), ina, minamiminowa), ina, minamiminowa);
        AgreementDocument v2 = signedBy(amendment(v1, ina, minamiminowa, minowa), ina, minowa);
        AgreementReport report = AgreementVerifier.verify(v2, APRIL_2025.plusSeconds(60), Optional.of(v1), List.of(), false);
        assertThat(report.status()).isEqualTo(AgreementStatus.ACTIVE);
        assertThat(report.parties()).extracting(PartyReport::status)
                .containsExactly(PartyStatus.SIGNED, PartyStatus.UNSIGNED, PartyStatus.SIGNED);
    }

    @Test
    void an_amendment_naming_a_wrong_predecessor_hash_is_refused() {
        AgreementDocument v1 = kamiinaV1();
        Agreement good = amendment(v1, ina, minamiminowa, minowa);
        Agreement wrong = new Agreement(good.id(), good.version(), good.title(), good.parties(), good.scopes(), good.notBefore(),
                good.notAfter(), good.amendmentRule(), Optional.of(new Predecessor("kamiina", 1, "0".repeat(64))), good.retentionDays());
        AgreementDocument v2 = signedBy(wrong, ina, minamiminowa, minowa);

        assertThatThrownBy(() -> AgreementVerifier.verify(v2, APRIL_2025, Optional.of(v1), List.of(), false))
                .extracting(Fixtures::codeOf).isEqualTo("agreement.predecessor_hash_mismatch");
        assertThatThrownBy(() -> AgreementSet.empty().add(v1).add(v2))
                .extracting(Fixtures::codeOf).isEqualTo("agreement.predecessor_hash_mismatch");
    }

    @Test
    void a_withdrawn_party_exchanges_nothing_from_the_moment_of_withdrawal() {
        AgreementDocument v1 = signedBy(original(AmendmentRule.UNANIMOUS, ina, minamiminowa, minowa), ina, minamiminowa, minowa);
        AgreementSet set = AgreementSet.empty().add(v1);
        assertThat(set.activeBetween("ina", "minowa", AUGUST_2024)).hasSize(1);
        assertThat(set.trustedPins("ina", AUGUST_2024)).containsExactlyInAnyOrder(minamiminowa.tlsPin(), minowa.tlsPin());

        WithdrawalStatement statement = WithdrawalStatement.parse(
                WithdrawalStatement.sign(v1, minowa, AUGUST_2024.plus(Duration.ofDays(30))).toPrettyJson());
        AgreementSet after = set.withdraw(statement);

        // effective at once, even before the instant written in the statement
        assertThat(after.activeBetween("ina", "minowa", AUGUST_2024)).isEmpty();
        assertThat(after.activeBetween("ina", "minamiminowa", AUGUST_2024)).hasSize(1);
        assertThat(after.trustedPins("ina", AUGUST_2024)).containsExactly(minamiminowa.tlsPin());
        assertThat(after.partners("minowa", AUGUST_2024)).isEmpty();
        assertThat(after.latest("kamiina", AUGUST_2024).orElseThrow().parties())
                .extracting(PartyReport::status).containsExactly(PartyStatus.SIGNED, PartyStatus.SIGNED, PartyStatus.WITHDRAWN);
    }

    @Test
    void a_withdrawal_signed_by_anyone_but_the_withdrawing_party_is_refused() {
        AgreementDocument v1 = kamiinaV1();
        WithdrawalStatement byIna = WithdrawalStatement.sign(v1, ina, AUGUST_2024);
        Map<String, Object> file = Json.parseObject(byIna.toPrettyJson());
        String payload = new String(java.util.Base64.getUrlDecoder().decode((String) file.get("payload")), StandardCharsets.UTF_8);
        file.put("payload", Base64Url.encode(payload.replace("\"node\":\"ina\"", "\"node\":\"minamiminowa\"").getBytes(StandardCharsets.UTF_8)));
        WithdrawalStatement forged = WithdrawalStatement.parse(Json.write(file));

        assertThatThrownBy(() -> AgreementSet.empty().add(v1).withdraw(forged))
                .extracting(Fixtures::codeOf).isEqualTo("withdrawal.kid_mismatch");
        assertThatThrownBy(() -> WithdrawalStatement.sign(v1, minowa, AUGUST_2024))
                .extracting(Fixtures::codeOf).isEqualTo("agreement.not_a_party");
    }

    @Test
    void the_set_gives_the_node_scopes_keys_and_retention_of_its_partners() {
        AgreementSet set = AgreementSet.empty().add(kamiinaV1());
        assertThat(set.scopesBetween("ina", "minamiminowa", AUGUST_2024)).containsExactly("care-team", "resources-directory");
        assertThat(set.activeBetween("ina", "minamiminowa", AUGUST_2024).get(0).retentionDays()).isEqualTo(180);
        assertThat(set.trustStore("ina", AUGUST_2024).resolve(minamiminowa.signingKeyId())).isPresent();
        assertThat(set.trustStore("ina", AUGUST_2024).resolve(ina.signingKeyId())).isEmpty();
        assertThat(set.activeBetween("ina", "minowa", AUGUST_2024)).isEmpty();
    }

    @Test
    void importing_the_same_version_with_other_content_is_a_conflict() {
        AgreementSet set = AgreementSet.empty().add(kamiinaV1());
        AgreementDocument other = signedBy(original(AmendmentRule.parse("threshold:1"), ina, minamiminowa), ina, minamiminowa);
        assertThatThrownBy(() -> set.add(other)).extracting(Fixtures::codeOf).isEqualTo("agreement.version_conflict");
    }

    private String withSignature(String headerJson, String signatureB64) {
        Map<String, Object> file = Json.parseObject(AgreementDocument.draft(original(AmendmentRule.UNANIMOUS, ina, minamiminowa)).toPrettyJson());
        file.put("signatures", List.of(Map.of("protected", Base64Url.encode(headerJson.getBytes(StandardCharsets.UTF_8)),
                "signature", signatureB64)));
        return Json.write(file);
    }
}
