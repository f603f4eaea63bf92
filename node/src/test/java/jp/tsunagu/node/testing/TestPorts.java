package jp.tsunagu.node.testing;

import jp.tsunagu.admin.LoopbackPorts;

/** Ports for tests that start listeners of their own choosing on loopback. */
public final class TestPorts {

  /** This JVM's blocks, outside the OS's ephemeral range; held until the JVM exits. */
  private static final PortBlocks BLOCKS = PortBlocks.outside(LoopbackPorts.ephemeral());

  private TestPorts() {}

  /**
   * A loopback port free right now, never handed out before in this JVM, from a block of ports this JVM
   * holds outside the OS's ephemeral range: another test run or benchmark on the machine holds blocks of
   * its own, and no outgoing connection takes a port there. Tests that start several listeners at once
   * still pick all their ports first.
   */
  public static int freePort() {
    return BLOCKS.next();
  }

  /** Ports of a block this JVM holds and hands out none of, for tests of how blocks are handed out. */
  static LoopbackPorts.Range wholeBlock() {
    return BLOCKS.claimWholeBlock();
  }
}
