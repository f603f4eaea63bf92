package jp.tsunagu.node.federation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.WithdrawalStatement;

/** Every SQL statement of the agreement store (tables of migration V2), with bound parameters only. */
final class AgreementSql {

  /** The stored texts, in the order they were first stored, for rebuilding the agreement set. */
  record Stored(List<String> documents, List<String> withdrawals) {}

  /** One row of {@code agreement_versions} as the admin API lists it. */
  record VersionRow(String agreementId, long version, Instant importedAt, Instant updatedAt) {}

  private AgreementSql() {}

  static Stored loadAll(Connection connection) throws SQLException {
    List<String> documents = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "select document from agreement_versions order by agreement_id, version");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        documents.add(rows.getString(1));
      }
    }
    List<String> withdrawals = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "select statement from agreement_withdrawals order by received_at, agreement_id, version, node");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        withdrawals.add(rows.getString(1));
      }
    }
    return new Stored(documents, withdrawals);
  }

  static List<VersionRow> versions(Connection connection) throws SQLException {
    List<VersionRow> result = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "select agreement_id, version, imported_at, updated_at from agreement_versions order by agreement_id, version");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        result.add(new VersionRow(rows.getString(1), rows.getLong(2), Instant.parse(rows.getString(3)),
            Instant.parse(rows.getString(4))));
      }
    }
    return result;
  }

  /** Stores a new version, or replaces a known one's text with the copy carrying more signatures. */
  static void saveVersion(Connection connection, AgreementDocument document, Instant now) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("""
        insert into agreement_versions (agreement_id, version, sha256, title, document, imported_at, updated_at)
        values (?, ?, ?, ?, ?, ?, ?)
        on conflict (agreement_id, version) do update set document = excluded.document, updated_at = excluded.updated_at
        """)) {
      statement.setString(1, document.agreement().id());
      statement.setLong(2, document.agreement().version());
      statement.setString(3, document.sha256());
      statement.setString(4, document.agreement().title());
      statement.setString(5, document.toCompactJson());
      statement.setString(6, now.toString());
      statement.setString(7, now.toString());
      statement.executeUpdate();
    }
  }

  static void saveWithdrawal(Connection connection, WithdrawalStatement withdrawal, Instant now) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("""
        insert into agreement_withdrawals (agreement_id, version, node, statement, withdrawn_at, received_at)
        values (?, ?, ?, ?, ?, ?)
        """)) {
      statement.setString(1, withdrawal.agreementId());
      statement.setLong(2, withdrawal.agreementVersion());
      statement.setString(3, withdrawal.node());
      statement.setString(4, jp.tsunagu.federation.json.Json.write(withdrawal.toJson()));
      statement.setString(5, withdrawal.withdrawnAt().toString());
      statement.setString(6, now.toString());
      statement.executeUpdate();
    }
  }

  static void appendHistory(Connection connection, Instant at, String action, String agreementId, long version,
      String sha256, String detail) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("""
        insert into agreement_history (at, action, agreement_id, version, sha256, detail) values (?, ?, ?, ?, ?, ?)
        """)) {
      statement.setString(1, at.toString());
      statement.setString(2, action);
      statement.setString(3, agreementId);
      statement.setLong(4, version);
      statement.setString(5, sha256);
      statement.setString(6, detail);
      statement.executeUpdate();
    }
  }

  static int historyCount(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("select count(*) from agreement_history");
        ResultSet rows = statement.executeQuery()) {
      return rows.next() ? rows.getInt(1) : 0;
    }
  }
}
