package jp.tsunagu.node.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jp.tsunagu.admin.LoopbackPorts;
import org.junit.jupiter.api.Test;

class TestPortsTest {

  @Test
  void the_ephemeral_range_is_the_one_the_os_states() throws IOException {
    java.nio.file.Path stated = java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(stated), "no /proc here");
    String[] bounds;
    try (java.io.BufferedReader reader = java.nio.file.Files.newBufferedReader(stated)) {
      bounds = reader.readLine().trim().split("\\s+");
    }

    assertThat(LoopbackPorts.ephemeral())
        .isEqualTo(new LoopbackPorts.Range(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1])));
  }

  @Test
  void free_ports_lie_outside_the_ephemeral_range_and_are_never_handed_out_twice() {
    LoopbackPorts.Range ephemeral = LoopbackPorts.ephemeral();
    Set<Integer> ports = new HashSet<>();
    int count = 3 * PortBlocks.BLOCK_SIZE;
    for (int i = 0; i < count; i++) {
      int port = TestPorts.freePort();
      assertThat(ephemeral.contains(port)).as("port %d in the ephemeral range %s", port, ephemeral).isFalse();
      ports.add(port);
    }
    assertThat(ports).hasSize(count);
  }

  @Test
  void two_holders_as_in_two_test_runs_at_once_never_hand_out_the_same_port() throws IOException {
    // Four blocks of twelve ports (this JVM's holder keeps other processes off them): two holders
    // handing out two blocks' worth each use them all, so they would meet if blocks could be shared.
    LoopbackPorts.Range range = TestPorts.wholeBlock();
    int blockSize = range.size() / 4;
    try (PortBlocks first = new PortBlocks(range, blockSize); PortBlocks second = new PortBlocks(range, blockSize)) {
      List<Integer> firsts = new ArrayList<>();
      List<Integer> seconds = new ArrayList<>();
      for (int i = 0; i < 2 * (blockSize - 1); i++) {
        firsts.add(first.next());
        seconds.add(second.next());
      }
      assertThat(firsts).doesNotHaveDuplicates().doesNotContainAnyElementsOf(seconds);
      assertThat(seconds).doesNotHaveDuplicates();
    }
  }

  @Test
  void a_port_something_else_listens_on_is_skipped() throws IOException {
    LoopbackPorts.Range range = TestPorts.wholeBlock();
    try (ServerSocket squatter = new ServerSocket(); PortBlocks blocks = new PortBlocks(range, range.size())) {
      squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), range.first() + 1));
      assertThat(blocks.next()).isEqualTo(range.first() + 2);
    }
  }
}
