package jp.tsunagu.node.federation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.federation.agreement.Agreement;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.AmendmentRule;
import jp.tsunagu.federation.agreement.Predecessor;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.identity.NodeIdentity;

/**
 * Drafts and signs an agreement in-process, for the demo and for tests, through exactly the library
 * calls the admin CLI makes (draft, one signature per party made separately, merge), so what a
 * node imports here is what an operator's files would hold.
 */
public final class AgreementDrafts {

  /** Replicated data is kept this many days after the agreement ends for a partner. */
  static final long RETENTION_DAYS = 90;
  private static final List<String> ALL_SCOPES = List.of(Scopes.CARE_TEAM, Scopes.RESOURCES_DIRECTORY,
      Scopes.EMERGENCY_ACCESS, Scopes.STATISTICS, Scopes.CERTIFICATION_REVIEW);

  private AgreementDrafts() {}

  /** Version 1, drafted from the parties' cards, with the given parties' signatures merged. */
  public static AgreementDocument signed(String id, String title, List<NodeIdentity> parties, Instant notBefore,
      Instant notAfter, List<NodeIdentity> signers) {
    return signed(id, title, parties, notBefore, notAfter, signers, ALL_SCOPES);
  }

  /** Version 1 allowing only the given scopes (e.g. a pact that shares resources but no care teams). */
  public static AgreementDocument signed(String id, String title, List<NodeIdentity> parties, Instant notBefore,
      Instant notAfter, List<NodeIdentity> signers, List<String> scopes) {
    return sign(AgreementDocument.draft(agreement(id, 1, title, parties, notBefore, notAfter, Optional.empty(),
        scopes)), signers);
  }

  /** Version 1 allowing only the given scopes, kept for the given days after it ends, signed by every party. */
  public static AgreementDocument signed(String id, String title, List<NodeIdentity> parties, Instant notBefore,
      Instant notAfter, List<String> scopes, long retentionDays) {
    return sign(AgreementDocument.draft(new Agreement(id, 1, title, parties.stream().map(NodeIdentity::card).toList(),
        scopes, notBefore, notAfter, AmendmentRule.UNANIMOUS, Optional.empty(), retentionDays)), parties);
  }

  /** The next version of {@code predecessor} (e.g. a party joining), with the given signatures. */
  public static AgreementDocument amendment(AgreementDocument predecessor, List<NodeIdentity> parties, Instant notBefore,
      Instant notAfter, List<NodeIdentity> signers) {
    Agreement previous = predecessor.agreement();
    Predecessor replaces = new Predecessor(previous.id(), previous.version(), predecessor.sha256());
    return sign(AgreementDocument.draft(agreement(previous.id(), previous.version() + 1, previous.title(), parties,
        notBefore, notAfter, Optional.of(replaces), ALL_SCOPES)), signers);
  }

  private static Agreement agreement(String id, long version, String title, List<NodeIdentity> parties,
      Instant notBefore, Instant notAfter, Optional<Predecessor> replaces, List<String> scopes) {
    return new Agreement(id, version, title, parties.stream().map(NodeIdentity::card).toList(), scopes, notBefore,
        notAfter, AmendmentRule.UNANIMOUS, replaces, RETENTION_DAYS);
  }

  /** Each party signs its own copy of the draft; the copies are then merged, as operators do. */
  private static AgreementDocument sign(AgreementDocument draft, List<NodeIdentity> signers) {
    List<AgreementDocument> copies = new ArrayList<>();
    copies.add(draft);
    for (NodeIdentity signer : signers) {
      copies.add(AgreementDocument.parse(draft.toCompactJson()).sign(signer));
    }
    return AgreementDocument.merge(copies);
  }
}
