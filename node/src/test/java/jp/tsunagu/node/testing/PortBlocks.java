package jp.tsunagu.node.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import jp.tsunagu.admin.LoopbackPorts;
import jp.tsunagu.admin.LoopbackPorts.Range;

/**
 * Loopback ports for tests, handed out from blocks of a range the OS never uses for ephemeral ports.
 *
 * <p>A port the OS chose with bind(0) and that was closed again is free for anyone: another test run,
 * a benchmark, or any outgoing connection of this machine (which takes its local port from the same
 * ephemeral range) could take it before the test bound it. Here a holder (one per JVM) claims a block
 * by keeping a listening socket on the block's first port, which another holder in any process cannot
 * bind; it then hands out the block's other ports in turn, each still checked free, never one twice.
 */
final class PortBlocks implements AutoCloseable {

  static final int BLOCK_SIZE = 50;
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final Range range;
  private final int blockSize;
  private final List<ServerSocket> reservations = new ArrayList<>();
  private int next;
  private int blockEnd;

  PortBlocks(Range range, int blockSize) {
    if (blockSize < 2 || range.size() < blockSize) {
      throw new IllegalArgumentException("a range of " + range.size() + " ports holds no block of " + blockSize);
    }
    this.range = range;
    this.blockSize = blockSize;
  }

  /** The blocks of the larger side of {@code ephemeral} between port 10000 and 65535. */
  static PortBlocks outside(Range ephemeral) {
    return new PortBlocks(LoopbackPorts.outside(ephemeral), BLOCK_SIZE);
  }

  Range range() {
    return range;
  }

  /**
   * The ports of a block claimed for a holder of the caller's own (a test of this class), after its
   * reservation port; this holder hands out none of them.
   */
  synchronized Range claimWholeBlock() {
    int handing = next;
    int handingEnd = blockEnd;
    claimBlock();
    Range claimed = new Range(next, blockEnd - 1);
    next = handing;
    blockEnd = handingEnd;
    return claimed;
  }

  /** A port of this holder's blocks that is free now and was never handed out by this holder. */
  synchronized int next() {
    while (true) {
      if (next >= blockEnd) {
        claimBlock();
      }
      int port = next++;
      if (isFree(port)) {
        return port;
      }
    }
  }

  /**
   * Claims the first block, from a random one on, whose reservation port can be bound: not one held by
   * another holder, nor one of this holder's own (it still holds their reservations). A random start
   * keeps holders that start at once from trying the same blocks one after the other.
   */
  private void claimBlock() {
    int blocks = range.size() / blockSize;
    int start = ThreadLocalRandom.current().nextInt(blocks);
    for (int i = 0; i < blocks; i++) {
      int first = range.first() + ((start + i) % blocks) * blockSize;
      ServerSocket reservation = reserve(first);
      if (reservation != null) {
        reservations.add(reservation);
        next = first + 1;
        blockEnd = first + blockSize;
        return;
      }
    }
    throw new IllegalStateException("every block of ports " + range + " is held by another process or this one");
  }

  private static ServerSocket reserve(int port) {
    try {
      ServerSocket socket = new ServerSocket();
      try {
        socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
        return socket;
      } catch (IOException taken) {
        socket.close();
        return null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Gives the blocks back: for tests of this class; the JVM's own holder keeps them until it exits. */
  @Override
  public synchronized void close() throws IOException {
    for (ServerSocket reservation : reservations) {
      reservation.close();
    }
    reservations.clear();
  }
}
