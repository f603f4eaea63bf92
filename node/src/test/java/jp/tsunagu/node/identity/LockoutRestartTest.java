package jp.tsunagu.node.identity;

import static jp.tsunagu.node.identity.RegistrationFlowTest.code;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lock earned by repeated failures is kept in the database, so restarting the node does not lift it. */
class LockoutRestartTest {

  @TempDir
  Path dir;

  @Test
  void a_locked_login_id_stays_locked_after_the_node_restarts_and_other_ids_are_not_affected() {
    AccountSeeder.Created target;
    AccountSeeder.Created bystander;
    try (IdentityFixture before = new IdentityFixture(dir, false)) {
      target = before.person("kinoshita-kango", Role.PROFESSIONAL, Optional.empty());
      bystander = before.person("matsuzawa-kango", Role.PROFESSIONAL, Optional.empty());
      IdentityClient client = before.clientWith(target);
      for (int i = 0; i < LoginThrottle.LOCK_AFTER; i++) {
        assertThat(code(client.login("kinoshita-kango", "not-it-" + i))).isEqualTo("auth.login_failed");
      }
      assertThat(code(client.login("kinoshita-kango", IdentityFixture.PASSWORD))).isEqualTo("auth.locked");
    }
    try (IdentityFixture after = new IdentityFixture(dir, false)) {
      assertThat(code(after.clientWith(target).login("Kinoshita-Kango", IdentityFixture.PASSWORD)))
          .as("the lock is per login id, whatever its case, and survived the restart").isEqualTo("auth.locked");
      assertThat(after.clientWith(bystander).login("matsuzawa-kango", IdentityFixture.PASSWORD).statusCode())
          .isEqualTo(200);
      assertThat(after.audit("login.failed")).filteredOn(r -> r.contains("auth.locked")).hasSize(2);
    }
  }
}
