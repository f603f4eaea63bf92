package jp.tsunagu.node.federation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.AgreementReport;
import jp.tsunagu.federation.identity.NodeIdentity;

/**
 * The demo's agreement: the nodes' identities (each from its own data directory) as parties, each
 * signing separately, the copies merged and the result imported into every node through its agreement
 * store, as {@code tsunagu-admin} and the admin API would. A rerun reuses the version the nodes already
 * hold while it is active and names them as they are; otherwise it drafts the next version.
 */
public final class DemoAgreement {

  private static final Duration VALIDITY = Duration.ofDays(1095);

  private DemoAgreement() {}

  /** Makes sure every node holds the same active agreement and returns its report. */
  public static AgreementReport establish(List<Federation> nodes, String id, String title) {
    List<NodeIdentity> parties = nodes.stream().map(Federation::identity).toList();
    Federation first = nodes.get(0);
    Instant now = first.clock().instant();
    Optional<AgreementReport> held = first.agreements().current().latest(id, now);
    AgreementDocument document = held.filter(report -> report.isActive() && namesAsTheyAre(report, parties))
        .map(AgreementReport::document)
        .orElseGet(() -> draft(held, id, title, parties, now));
    AgreementReport report = null;
    for (Federation node : nodes) {
      report = await(node.agreements().importDocument(document.toCompactJson())).report();
    }
    return report;
  }

  private static AgreementDocument draft(Optional<AgreementReport> held, String id, String title,
      List<NodeIdentity> parties, Instant now) {
    Instant notBefore = now.minus(Duration.ofDays(1));
    return held.map(previous -> AgreementDrafts.amendment(previous.document(), parties, notBefore,
            now.plus(VALIDITY), parties))
        .orElseGet(() -> AgreementDrafts.signed(id, title, parties, notBefore, now.plus(VALIDITY), parties));
  }

  private static boolean namesAsTheyAre(AgreementReport report, List<NodeIdentity> parties) {
    return report.agreement().parties().size() == parties.size() && parties.stream().allMatch(identity ->
        report.agreement().party(identity.name())
            .map(card -> card.tlsPin().equals(identity.tlsPin())
                && card.signingKey().keyId().equals(identity.signingKeyId())
                && card.profile().equals(identity.profile()))
            .orElse(false));
  }

  private static AgreementStore.Outcome await(io.vertx.core.Future<AgreementStore.Outcome> outcome) {
    try {
      return outcome.await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("importing the demo agreement did not finish within 30 s", e);
    }
  }
}
