package jp.tsunagu.node.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL for device certificates. */
final class CertificateStore {

  private static final String COLUMNS = "id, user_id, serial, fingerprint, device_type, remark, not_before, not_after,"
      + " status, issued_at, downloaded_at, pkcs12 is not null";

  /** A certificate waiting for its one download, found by retrieval number. */
  record Pending(String id, String userId, byte[] pkcs12, int failures) {}

  private CertificateStore() {}

  static void insert(Connection c, String id, String userId, CertificateIssuer.Issued issued, String deviceType,
      String remark, Instant now) throws SQLException {
    UserStore.update(c, "insert into device_certificates (id, user_id, serial, fingerprint, device_type, remark,"
        + " not_before, not_after, status, retrieval_hash, pkcs12, issued_at) values (?, ?, ?, ?, ?, ?, ?, ?, 'active',"
        + " ?, ?, ?)", id, userId, issued.serial(), issued.fingerprint(), deviceType, remark,
        issued.notBefore().toString(), issued.notAfter().toString(), Secrets.sha256(issued.retrievalNumber()),
        issued.pkcs12(), now.toString());
  }

  static Optional<DeviceCertificate> byId(Connection c, String id) throws SQLException {
    List<DeviceCertificate> list = query(c, "select " + COLUMNS + " from device_certificates where id = ?", id);
    return list.stream().findFirst();
  }

  static Optional<DeviceCertificate> byFingerprint(Connection c, String fingerprint) throws SQLException {
    List<DeviceCertificate> list = query(c, "select " + COLUMNS + " from device_certificates where fingerprint = ?",
        fingerprint);
    return list.stream().findFirst();
  }

  static List<DeviceCertificate> ofUser(Connection c, String userId) throws SQLException {
    return query(c, "select " + COLUMNS + " from device_certificates where user_id = ? order by issued_at desc", userId);
  }

  static List<String> revokedFingerprints(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select fingerprint from device_certificates where status = 'revoked'");
        ResultSet rs = s.executeQuery()) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  static Optional<Pending> pendingByRetrieval(Connection c, String retrievalNumber) throws SQLException {
    String sql = "select id, user_id, pkcs12, download_failures from device_certificates"
        + " where retrieval_hash = ? and pkcs12 is not null and status = 'active'";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, Secrets.sha256(retrievalNumber));
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new Pending(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getInt(4)))
            : Optional.empty();
      }
    }
  }

  /** Hands the PKCS#12 out once: true only for the one caller that cleared it. */
  static boolean claimDownload(Connection c, String id, Instant now) throws SQLException {
    return UserStore.update(c, "update device_certificates set pkcs12 = null, retrieval_hash = null, downloaded_at = ?"
        + " where id = ? and pkcs12 is not null", now.toString(), id) == 1;
  }

  /** Counts a wrong download password; after {@code limit} the PKCS#12 is destroyed (issue a new one). */
  static boolean countDownloadFailure(Connection c, String id, int limit) throws SQLException {
    UserStore.update(c, "update device_certificates set download_failures = download_failures + 1 where id = ?", id);
    return UserStore.update(c, "update device_certificates set pkcs12 = null, retrieval_hash = null"
        + " where id = ? and download_failures >= ?", id, limit) == 1;
  }

  static boolean revoke(Connection c, String id, String byUserId, Instant now) throws SQLException {
    boolean changed = UserStore.update(c, "update device_certificates set status = 'revoked', revoked_at = ?,"
        + " revoked_by = ?, pkcs12 = null, retrieval_hash = null where id = ? and status = 'active'",
        now.toString(), byUserId, id) == 1;
    UserStore.update(c, "delete from sessions where certificate_id = ?", id);
    return changed;
  }

  /** Revokes a certificate only while it still waits for its download; false once it was downloaded. */
  static boolean revokeUndownloaded(Connection c, String id, String byUserId, Instant now) throws SQLException {
    return UserStore.update(c, "update device_certificates set status = 'revoked', revoked_at = ?, revoked_by = ?,"
        + " pkcs12 = null, retrieval_hash = null where id = ? and status = 'active' and pkcs12 is not null",
        now.toString(), byUserId, id) == 1;
  }

  /** The certificate's columns as {@link #read} takes them, of the table named {@code alias}. */
  static String columns(String alias) {
    return java.util.Arrays.stream(COLUMNS.split(",")).map(c -> alias + "." + c.strip())
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** A certificate from the row's columns after the first {@code skipped}; none when they are null (no certificate). */
  static DeviceCertificate read(ResultSet rs, int skipped) throws SQLException {
    int at = skipped;
    return new DeviceCertificate(rs.getString(at + 1), rs.getString(at + 2), rs.getString(at + 3),
        rs.getString(at + 4), rs.getString(at + 5), rs.getString(at + 6), Instant.parse(rs.getString(at + 7)),
        Instant.parse(rs.getString(at + 8)), "revoked".equals(rs.getString(at + 9)), Instant.parse(rs.getString(at + 10)),
        Optional.ofNullable(rs.getString(at + 11)).map(Instant::parse), rs.getBoolean(at + 12));
  }

  private static List<DeviceCertificate> query(Connection c, String sql, String arg) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, arg);
      try (ResultSet rs = s.executeQuery()) {
        List<DeviceCertificate> out = new ArrayList<>();
        while (rs.next()) {
          out.add(read(rs, 0));
        }
        return out;
      }
    }
  }
}
