package jp.tsunagu.node.identity;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;

/**
 * Creates accounts outside the web flow: the demo's people and the first municipal staff member
 * an operator sets up. Blocking; for start-up code and tests, never an event loop.
 */
public final class AccountSeeder {

  /** A person to create; {@code facilityId} empty for municipal staff. */
  public record Person(String loginId, String email, String familyName, String givenName, String familyKana,
      String givenKana, String profession, Role role, Optional<String> facilityId) {}

  /** What was created, with the first device certificate's one-time retrieval data. */
  public record Created(String userId, String certificateId, String retrievalNumber, String certificatePassword,
      byte[] pkcs12) {}

  private final NodeServices services;
  private final AuditLog audit;
  private final CertificateIssuer issuer;

  public AccountSeeder(NodeServices services) {
    this.services = services;
    this.audit = new AuditLog(services.database(), services.clock());
    this.issuer = new CertificateIssuer(services);
  }

  public boolean anyUsers() {
    return services.database().submitRead(UserStore::count).join() > 0;
  }

  public String createFacility(String name, String municipalityCode, String prefecture, String category) {
    String id = Secrets.id();
    services.database().submitWrite(c -> {
      UserStore.insertFacility(c, id, name, prefecture, municipalityCode, category, Instant.now(services.clock()));
      audit.append(c, AuditEvent.success("operator", "facility.created", "facility:" + id, null));
      return null;
    }).join();
    return id;
  }

  public Created createUser(Person person, String password, String deviceType) {
    Instant now = Instant.now(services.clock());
    return createUser(person, password, deviceType, now.minus(java.time.Duration.ofMinutes(5)),
        now.plus(CertificateIssuer.VALIDITY));
  }

  /** With a certificate of explicit validity (tests use an expired one). */
  public Created createUser(Person p, String password, String deviceType, Instant notBefore, Instant notAfter) {
    String userId = Secrets.id();
    CertificateIssuer.Issued issued = issuer.issue(userId, notBefore, notAfter);
    String certificateId = Secrets.id();
    String hash = Passwords.hash(password);
    services.database().submitWrite(c -> {
      Instant now = Instant.now(services.clock());
      UserStore.insert(c, new User(userId, p.facilityId(), p.loginId(), p.email(), p.familyName(), p.givenName(),
          p.familyKana(), p.givenKana(), p.profession(), p.role(), hash, true), now);
      CertificateStore.insert(c, certificateId, userId, issued, deviceType, "初期登録", now);
      audit.append(c, AuditEvent.success("operator", "user.created", "user:" + userId,
          new JsonObject().put("role", p.role().code())));
      audit.append(c, AuditEvent.success("operator", "certificate.issued", "certificate:" + certificateId,
          new JsonObject().put("user", userId).put("serial", issued.serial())));
      return null;
    }).join();
    return new Created(userId, certificateId, issued.retrievalNumber(), issued.password(), issued.pkcs12());
  }
}
