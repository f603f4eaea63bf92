package jp.tsunagu.node.federation;

import java.time.Instant;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.AgreementReport;
import jp.tsunagu.federation.agreement.AgreementSet;
import jp.tsunagu.federation.agreement.WithdrawalStatement;

/**
 * The validation step of a withdrawal: the statement must parse and carry the withdrawing party's own
 * signature over a version this node knows. A second copy of a recorded withdrawal changes nothing.
 *
 * @param statement the statement
 * @param candidate the agreement set with the withdrawal recorded
 * @param report    the withdrawn-from version's report afterwards
 * @param changed   whether the withdrawal is new
 */
record WithdrawalImport(WithdrawalStatement statement, AgreementSet candidate, AgreementReport report, boolean changed) {

  static WithdrawalImport check(AgreementSet known, String text, Instant now) {
    WithdrawalStatement statement = WithdrawalStatement.parse(text);
    AgreementSet candidate = known.withdraw(statement);
    boolean recorded = known.withdrawals().stream().anyMatch(w -> w.agreementId().equals(statement.agreementId())
        && w.agreementVersion() == statement.agreementVersion() && w.node().equals(statement.node()));
    AgreementDocument named = candidate.documents().stream()
        .filter(d -> d.sha256().equals(statement.agreementSha256()))
        .findFirst()
        .orElseThrow();
    AgreementSet result = recorded ? known : candidate;
    return new WithdrawalImport(statement, result, AgreementImport.reportOf(result, named, now), !recorded);
  }
}
