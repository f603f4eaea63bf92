package jp.tsunagu.node.federation;

import java.time.Instant;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.AgreementReport;
import jp.tsunagu.federation.agreement.AgreementSet;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.identity.NodeIdentity;

/**
 * The validation step of an agreement import, apart from storage: the document must parse with
 * every signature verifying, name this node with this node's own pin and key, fit the versions
 * already known, and be active now (the admin API contract: a draft, a not yet valid, an expired or a superseded
 * version is refused with its own code). Anything else is refused with the
 * library's stable code and the known set stays as it was.
 *
 * @param document  the document as it will be stored (carrying every signature known for its version)
 * @param candidate the agreement set with the document added
 * @param report    its verification at the time of import
 * @param created   whether the version was unknown before
 * @param changed   whether anything (a version or a signature) is new
 */
record AgreementImport(AgreementDocument document, AgreementSet candidate, AgreementReport report, boolean created,
    boolean changed) {

  static AgreementImport check(AgreementSet known, String text, NodeIdentity local, Instant now) {
    AgreementDocument parsed = AgreementDocument.parse(text);
    requireThisNode(parsed, local);
    AgreementDocument previous = find(known, parsed).orElse(null);
    AgreementSet candidate = known.add(parsed);
    AgreementDocument stored = find(candidate, parsed).orElseThrow();
    AgreementReport report = reportOf(candidate, stored, now);
    boolean changed = previous == null || !previous.signedBy().containsAll(stored.signedBy());
    if (changed) {
      report.requireActive();
    }
    return new AgreementImport(stored, candidate, report, previous == null, changed);
  }

  /** A node stores only agreements it is party to, and only when they name its real identity. */
  private static void requireThisNode(AgreementDocument document, NodeIdentity local) {
    NodeCard listed = document.agreement().party(local.name()).orElseThrow(() -> new ProtocolException(
        "agreement.not_a_party", "this node (" + local.name() + ") is not a party to " + document.agreement().id()));
    boolean knownKey = listed.signingKey().keyId().equals(local.signingKeyId())
        || local.retiredSigningKeys().stream().anyMatch(k -> k.keyId().equals(listed.signingKey().keyId()));
    if (!listed.tlsPin().equals(local.tlsPin()) || !knownKey) {
      throw new ProtocolException("agreement.local_identity_mismatch", document.agreement().id() + " lists " + local.name()
          + " with TLS pin " + listed.tlsPin() + " and key " + listed.signingKey().keyId()
          + ", but this node's pin is " + local.tlsPin() + " and its key " + local.signingKeyId());
    }
  }

  static AgreementReport reportOf(AgreementSet set, AgreementDocument document, Instant now) {
    return set.reports(now).stream()
        .filter(r -> r.document().sha256().equals(document.sha256()))
        .findFirst()
        .orElseThrow();
  }

  private static java.util.Optional<AgreementDocument> find(AgreementSet set, AgreementDocument like) {
    return set.documents().stream()
        .filter(d -> d.agreement().id().equals(like.agreement().id())
            && d.agreement().version() == like.agreement().version())
        .findFirst();
  }
}
