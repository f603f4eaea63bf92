package jp.tsunagu.node.cluster;

import static jp.tsunagu.node.testing.TestPorts.freePort;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three members with the node's Hazelcast settings, each in a JVM of its own: one paused (SIGSTOP,
 * as the paused leader of {@code SeparateJvmFailoverTest}), then a second paused long enough to be put
 * out of the third's membership and resumed. The two live ones are then two clusters of one, where
 * neither CP group has a majority (Raft messages between clusters are refused); they must merge back
 * and their CP groups elect while the first is still paused. Before {@link StuckHandshakes} they did
 * not, in about one run in four at a load average of 15 to 45: the merging member's new connection to
 * the other never completed its handshake and Hazelcast never opened another. Each member's whole
 * output is kept in {@code node/target/paused-member-split/}; {@code -Dtsunagu.members.jvmArgs} adds
 * JVM arguments to every member (a logback configuration with Hazelcast's cluster logging, say).
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class PausedMemberSplitTest {

  /** Longer than twice the membership's 4 s without heartbeat: the live member always puts it out. */
  private static final Duration SECOND_PAUSE = Duration.ofSeconds(10);
  /** How long the merged two may take with the first still paused (seen: 14 to 24 s). */
  private static final Duration MERGED = Duration.ofSeconds(60);

  private final List<Process> members = new ArrayList<>();
  private final List<MemberOutput> outputs = new ArrayList<>();

  @AfterEach
  void stop() {
    for (Process member : members) {
      signal(member, "-CONT");
      member.destroyForcibly();
    }
  }

  @Test
  void two_members_split_while_the_third_is_paused_merge_and_elect_before_it_resumes() throws Exception {
    List<Integer> ports = List.of(freePort(), freePort(), freePort());
    String addresses = String.join(",", ports.stream().map(port -> "127.0.0.1:" + port).toList());
    String name = "paused-split-" + UUID.randomUUID().toString().substring(0, 8);
    for (int port : ports) {
      start(name, port, addresses);
    }
    await(Duration.ofSeconds(300), "every member has the CP groups answering",
        () -> outputs.stream().allMatch(output -> output.last().equals("cp ok members 3")));
    Process first = members.get(0);
    Process second = members.get(1);
    MemberOutput secondOut = outputs.get(1);
    MemberOutput thirdOut = outputs.get(2);

    signal(first, "-STOP");
    signal(second, "-STOP");
    Thread.sleep(SECOND_PAUSE.toMillis());
    thirdOut.clear();
    signal(second, "-CONT");
    secondOut.clear();
    // The second, resumed, finds itself alone and the third has put it out: two clusters of one.
    await(Duration.ofSeconds(60), "the split: each live member alone",
        () -> secondOut.saw("members 1") && thirdOut.saw("members 1"));
    try {
      await(MERGED, "the two live members merged, their CP groups answering, with the first still paused",
          () -> secondOut.last().equals("cp ok members 2") && thirdOut.last().equals("cp ok members 2"));
    } finally {
      signal(first, "-CONT");
    }
  }

  private void start(String name, int port, String addresses) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC"));
    command.addAll(extraJvmArguments());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), CpMemberProcess.class.getName(), name,
        String.valueOf(port), addresses, String.valueOf(freePort())));
    Process member = new ProcessBuilder(command).redirectErrorStream(true).start();
    members.add(member);
    Path log = Path.of("target", "paused-member-split", name + "-member-" + members.size() + ".log");
    Files.createDirectories(log.getParent());
    MemberOutput output = new MemberOutput(member, log);
    outputs.add(output);
    output.start();
  }

  /**
   * What {@code -Dtsunagu.members.jvmArgs} adds to every member's JVM (space-separated), e.g. a logback
   * configuration that shows Hazelcast's membership and merge decisions.
   */
  private static List<String> extraJvmArguments() {
    String extra = System.getProperty("tsunagu.members.jvmArgs", "").trim();
    return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
  }

  private static void signal(Process member, String signal) {
    try {
      new ProcessBuilder("kill", signal, Long.toString(member.pid())).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void await(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < outputs.size(); i++) {
          seen.append("\n  member ").append(i).append(": ").append(outputs.get(i).seen());
        }
        throw new AssertionError("not reached within " + limit.toSeconds() + " s: " + what + seen);
      }
      Thread.sleep(200);
    }
  }

  /**
   * A member's status lines as it prints them (the last one, those since {@link #clear()}), and its other
   * output; all of it is also kept in a file, for the failure's story beyond the last lines.
   */
  private static final class MemberOutput extends Thread {

    private final Process member;
    private final Path log;
    private final List<String> lines = new ArrayList<>();
    private final List<String> other = new ArrayList<>();
    private volatile String last = "";

    MemberOutput(Process member, Path log) {
      this.member = member;
      this.log = log;
      setDaemon(true);
    }

    @Override
    public void run() {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(member.getInputStream(),
          StandardCharsets.UTF_8));
          Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
        String line;
        while ((line = reader.readLine()) != null) {
          file.write(Instant.now() + " " + line + "\n");
          file.flush();
          if (line.startsWith("cp ")) {
            last = line;
            synchronized (lines) {
              lines.add(line);
            }
          } else if (!line.startsWith("\tat ")) {
            synchronized (lines) {
              other.add(line);
            }
          }
        }
      } catch (IOException e) {
        // the member was stopped
      }
    }

    String last() {
      return last;
    }

    void clear() {
      synchronized (lines) {
        lines.clear();
      }
    }

    boolean saw(String status) {
      synchronized (lines) {
        return lines.stream().anyMatch(line -> line.endsWith(status));
      }
    }

    List<String> seen() {
      synchronized (lines) {
        List<String> seen = new ArrayList<>(other.subList(Math.max(0, other.size() - 10), other.size()));
        seen.addAll(lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        return seen;
      }
    }
  }
}
