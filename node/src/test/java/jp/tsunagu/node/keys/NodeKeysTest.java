package jp.tsunagu.node.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import jp.tsunagu.node.config.ConfigException;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeysTest {

  @TempDir
  Path dir;

  @Test
  void first_start_creates_keys_readable_only_by_the_owner_and_later_starts_reuse_them() throws Exception {
    NodeConfig config = TestNodes.config(dir, "obu");
    NodeKeys first = NodeKeys.loadOrCreate(config);
    NodeKeys second = NodeKeys.loadOrCreate(config);

    assertThat(second.identity().tlsPin()).isEqualTo(first.identity().tlsPin());
    assertThat(second.identity().signingKeyId()).isEqualTo(first.identity().signingKeyId());
    assertThat(second.userCa().certificate()).isEqualTo(first.userCa().certificate());
    assertThat(first.userCa().certificate().getBasicConstraints()).as("a CA certificate").isGreaterThanOrEqualTo(0);

    try (Stream<Path> files = Files.walk(config.dataDir())) {
      for (Path path : files.filter(p -> !p.equals(config.dataDir())).toList()) {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        assertThat(permissions).as(path.toString()).doesNotContain(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
      }
    }
  }

  @Test
  void a_data_directory_of_another_node_is_refused() {
    NodeKeys.loadOrCreate(TestNodes.config(dir, "obu"));
    NodeConfig other = TestNodes.config(dir, "tokai").asDemo();
    NodeConfig sameDirOtherName = new NodeConfig(other.node(), dir.resolve("obu-data"), other.web(),
        other.federation(), other.admin(), other.tls(), other.limits(), other.storage(), other.session(), other.log(),
        other.mail(), other.map(), other.backup(), other.sensors(), other.webPublicUrl(), false,
        other.meetings(), other.review(), other.cluster());
    assertThatThrownBy(() -> NodeKeys.loadOrCreate(sameDirOtherName)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("holds the identity of node 'obu'");
  }
}
