package jp.tsunagu.federation.agreement;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import jp.tsunagu.federation.identity.NodeIdentity;

/** Kamiina agreements: 伊那市 and 南箕輪村 in July 2024, 箕輪町 joining in April 2025. */
final class AgreementFixtures {
    static final Instant JULY_2024 = Instant.parse("2024-06-30T15:00:00Z");
    static final Instant APRIL_2025 = Instant.parse("2025-03-31T15:00:00Z");
    static final String TITLE = "上伊那地域在宅医療・介護連携に関する広域連携協定";

    private AgreementFixtures() {
    }

    static Agreement original(AmendmentRule rule, NodeIdentity... parties) {
        return new Agreement("kamiina", 1, TITLE, List.of(parties).stream().map(NodeIdentity::card).toList(),
                List.of(Scopes.CARE_TEAM, Scopes.RESOURCES_DIRECTORY), JULY_2024, JULY_2024.plus(3 * 365, ChronoUnit.DAYS),
                rule, Optional.empty(), 180);
    }

    static Agreement amendment(AgreementDocument predecessor, NodeIdentity... parties) {
        Agreement old = predecessor.agreement();
        return new Agreement(old.id(), old.version() + 1, old.title(), List.of(parties).stream().map(NodeIdentity::card).toList(),
                old.scopes(), APRIL_2025, old.notAfter(), old.amendmentRule(),
                Optional.of(new Predecessor(old.id(), old.version(), predecessor.sha256())), old.retentionDays());
    }

    static AgreementDocument signedBy(Agreement agreement, NodeIdentity... signers) {
        AgreementDocument document = AgreementDocument.draft(agreement);
        for (NodeIdentity signer : signers) {
            document = document.sign(signer);
        }
        return document;
    }
}
