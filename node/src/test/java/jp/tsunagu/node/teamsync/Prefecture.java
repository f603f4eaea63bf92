package jp.tsunagu.node.teamsync;

import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.live.LiveRoutes;
import jp.tsunagu.node.federation.FederationClient;
import jp.tsunagu.node.storage.WorkCounts;

/**
 * A simulated prefecture: 50 nodes named after real Nagano municipalities, all in this one JVM (child JVMs
 * would each pay the JIT and class loading again on two shared cores), under one 50-party agreement made
 * with the admin CLI's commands ({@link PrefectureNodes}), teams spanning 2, 5 and 10 nodes. Measures, each
 * beside its target where the issue gives one:
 * <ul>
 *   <li>start-up, and the heap after GC per idle node: the heap with N/2 and with N nodes, the difference
 *       divided by N/2 (target ≤ 64 MiB);</li>
 *   <li>time until every pair trusts each other: from the first {@code agreement submit} until every node's
 *       {@code /admin/v1/peers} (a mutual-TLS hello to each partner) finds all partners reachable;</li>
 *   <li>idle work of the whole prefecture: CPU, database reads and commits per node per second;</li>
 *   <li>propagation of a post on the home node of the 10-node team to each of its 9 partner nodes (the
 *       member node's live publication, after commit), p50/p99 of every arrival and of the last per post;</li>
 *   <li>the partner-directory search fanned out to the N−1 partners, p50/p99 through the web API;</li>
 *   <li>an amendment adding a 51st party, submitted to every node: time until every node and the new one
 *       trust each other;</li>
 *   <li>a withdrawal signed by one party and submitted to every node: whether each node refuses the
 *       withdrawn party's mutual-TLS request right after its own import, and time until all refuse;</li>
 *   <li>the search again with one partner hung (a socket on its port that accepts and never answers): the
 *       answer must not wait past the per-partner timeout.</li>
 * </ul>
 * {@code -Dsync.prefectureNodes=10} makes a small prefecture to iterate fast; {@code -Dsync.prefecturePosts=N}
 * and {@code -Dsync.prefectureSearches=N} the number of posts and searches measured.
 */
final class Prefecture {

  private static final int NODES = Integer.getInteger("sync.prefectureNodes", 50);
  private static final int POSTS = Integer.getInteger("sync.prefecturePosts", 200);
  private static final int SEARCHES = Integer.getInteger("sync.prefectureSearches", 100);
  private static final long PEER_TIMEOUT_MILLIS = 4_000;
  private static final long MIB = 1024 * 1024;

  private final PrefectureNodes nodes;
  private final List<String> names;

  private Prefecture(PrefectureNodes nodes, List<String> names) {
    this.nodes = nodes;
    this.names = names;
  }

  static void run(Path dir) throws Exception {
    List<PrefectureNodes.Municipality> nagano = PrefectureNodes.nagano();
    if (NODES < 10 || NODES >= nagano.size()) {
      throw new IllegalArgumentException("sync.prefectureNodes must be 10 to " + (nagano.size() - 1));
    }
    List<PrefectureNodes.Municipality> parties = nagano.subList(0, NODES);
    line(String.format("prefecture: %d nodes of Nagano municipalities, all in one JVM (max heap %d MiB); load"
        + " average %.1f on %d cores (a shared machine: times and CPU are noisy)%n", NODES,
        Runtime.getRuntime().maxMemory() / MIB, load(), Runtime.getRuntime().availableProcessors()));
    try (PrefectureNodes prefecture = new PrefectureNodes(dir)) {
      Prefecture p = new Prefecture(prefecture, parties.stream().map(PrefectureNodes.Municipality::node).toList());
      p.startAndWeigh(parties);
      Path agreement = p.agree();
      p.idle("idle, under the agreement");
      Map<Integer, Team> teams = p.teams();
      p.propagation(teams.get(10));
      p.search("directory search", SEARCHES, Optional.empty());
      Path amended = p.amend(agreement, nagano.get(NODES));
      p.withdraw(amended, p.names.get(NODES - 1));
      p.idle("idle, after the amendment and the withdrawal");
      p.deadPartner(p.names.get(NODES - 2));
    }
  }

  // ----- start-up and heap --------------------------------------------------------------------------

  private void startAndWeigh(List<PrefectureNodes.Municipality> parties) throws Exception {
    int half = parties.size() / 2;
    long started = System.nanoTime();
    startAll(parties.subList(0, half));
    double firstHalf = seconds(started);
    Thread.sleep(3_000);
    long heapHalf = heapAfterGc();
    int threadsHalf = threads();
    long second = System.nanoTime();
    startAll(parties.subList(half, parties.size()));
    double secondHalf = seconds(second);
    Thread.sleep(3_000);
    long heapAll = heapAfterGc();
    line(String.format("start-up: %d nodes in %.1f s, then %d in %.1f s (%.2f s per node, four at a time)%n",
        half, firstHalf, parties.size() - half, secondHalf, (firstHalf + secondHalf) / parties.size()));
    line(String.format("heap after GC: %d MiB with %d nodes, %d MiB with %d; per idle node %.1f MiB"
        + " (target <= 64 MiB); threads %d with %d nodes, %d with %d%n", heapHalf / MIB, half, heapAll / MIB,
        parties.size(), (double) (heapAll - heapHalf) / (parties.size() - half) / MIB, threadsHalf, half,
        threads(), parties.size()));
  }

  /** Four at a time: a start waits on fsyncs of its migrations as much as on the CPU. */
  private void startAll(List<PrefectureNodes.Municipality> some) throws Exception {
    java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(4);
    try {
      pool.submit(() -> some.parallelStream().forEach(nodes::start)).get();
    } finally {
      pool.shutdown();
    }
  }

  // ----- the agreement and trust ---------------------------------------------------------------------

  private Path agree() {
    long made = System.nanoTime();
    Path agreement = nodes.agreement(names, Optional.empty(), "v1");
    double making = seconds(made);
    long submitted = System.nanoTime();
    names.forEach(name -> nodes.submit(name, agreement));
    double submitting = seconds(submitted);
    double trusted = untilTrusted(names, names, submitted);
    line(String.format("agreement of %d parties with the admin CLI (cards, draft, %d signatures, merge): %.1f s;"
        + " submitted to every node in %.1f s%n", names.size(), names.size(), making, submitting));
    line(String.format("every pair trusts each other (all %d x %d probes reachable): %.1f s after the first submit%n",
        names.size(), names.size() - 1, trusted));
    return agreement;
  }

  /**
   * Seconds from {@code since} until every node of {@code askers} finds every other node of {@code expected}
   * reachable in its peer probe (each probe a real mutual-TLS hello); fails after 5 minutes.
   */
  private double untilTrusted(List<String> askers, List<String> expected, long since) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    Set<String> pending = new HashSet<>(askers);
    while (!pending.isEmpty()) {
      for (String asker : List.copyOf(pending)) {
        Set<String> wanted = new HashSet<>(expected);
        wanted.remove(asker);
        if (nodes.reachablePeers(asker).containsAll(wanted)) {
          pending.remove(asker);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("still not trusted after 5 minutes: " + pending);
      }
    }
    return seconds(since);
  }

  // ----- idle work --------------------------------------------------------------------------------------

  /** What the prefecture does when nobody does anything: CPU, reads and commits per node per second. */
  private void idle(String when) throws Exception {
    Thread.sleep(5_000);
    Map<String, WorkCounts> before = work();
    long cpu = processCpu();
    long at = System.nanoTime();
    Thread.sleep(20_000);
    double secs = seconds(at);
    double cpuMillis = (processCpu() - cpu) / 1e6;
    long reads = 0;
    long commits = 0;
    for (var e : work().entrySet()) {
      WorkCounts d = e.getValue().minus(before.getOrDefault(e.getKey(), e.getValue()));
      reads += d.reads();
      commits += d.commits();
    }
    int n = nodes.nodes.size();
    line(String.format("%s (%d nodes, %.0f s): CPU %.1f ms/s per node (%.0f%% of a core for all), database reads"
        + " %.1f/s and commits %.2f/s per node; %d threads; load average %.1f%n", when, n, secs,
        cpuMillis / secs / n, cpuMillis / secs / 10, reads / secs / n, commits / secs / n, threads(), load()));
  }

  private Map<String, WorkCounts> work() {
    Map<String, WorkCounts> counts = new java.util.LinkedHashMap<>();
    nodes.nodes.forEach((name, node) -> counts.put(name, node.services().database().workCounts()));
    return counts;
  }

  // ----- teams and propagation -----------------------------------------------------------------------

  /** A team's patient, its home node and its partner nodes. */
  private record Team(String patientId, String home, List<String> partners) {}

  /** Teams spanning 2, 5 and 10 nodes, homed on different nodes; by size. */
  private Map<Integer, Team> teams() {
    long at = System.nanoTime();
    Map<Integer, Team> teams = new java.util.LinkedHashMap<>();
    // a patient lives in a municipality of the reference data: the Kamiina three, first in the file
    int home = 0;
    for (int size : new int[] {2, 5, 10}) {
      int first = home;
      List<String> others = java.util.stream.IntStream.range(1, size)
          .mapToObj(i -> names.get((first + i) % names.size())).toList();
      teams.put(size, new Team(nodes.team(names.get(home), others, "広域" + size), names.get(home), others));
      home++;
    }
    line(String.format("teams spanning 2, 5 and 10 nodes (invitations accepted on each partner): %.1f s%n",
        seconds(at)));
    return teams;
  }

  /**
   * Posts on the home node of the 10-node team one after another, each after the last arrived everywhere; the
   * clock runs from the send to each partner node's publication of the post to its live streams.
   */
  private void propagation(Team team) throws Exception {
    String patientId = team.patientId();
    String home = team.home();
    List<String> partners = team.partners();
    Map<String, Map<String, Long>> arrivals = new ConcurrentHashMap<>();
    for (String name : partners) {
      Map<String, Long> got = new ConcurrentHashMap<>();
      arrivals.put(name, got);
      // a node publishes a board's live events only while something listens to it there
      nodes.nodes.get(name).feature(jp.tsunagu.node.care.CareFeature.class).context().live().listen(patientId);
      nodes.nodes.get(name).vertx().eventBus().<JsonObject>consumer(LiveRoutes.address(patientId), m -> {
        if ("post".equals(m.body().getString("type")) && m.body().getString("postId") != null) {
          got.putIfAbsent(m.body().getString("postId"), System.nanoTime());
        }
      });
    }
    CareClient doctor = nodes.professional(home);
    List<Long> each = new ArrayList<>();
    List<Long> last = new ArrayList<>();
    int lost = 0;
    for (int i = -20; i < POSTS; i++) {
      long sent = System.nanoTime();
      CareClient.Reply reply = doctor.post("/api/v1/patients/" + patientId + "/posts",
          CrossNodeTestbed.note("広域の記録 " + i));
      String postId = reply.json().getString("id");
      long deadline = sent + TimeUnit.SECONDS.toNanos(30);
      while (!arrivals.values().stream().allMatch(a -> a.containsKey(postId)) && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      if (i < 0) {
        continue;
      }
      long latest = 0;
      for (Map<String, Long> a : arrivals.values()) {
        Long got = a.get(postId);
        if (got == null) {
          lost++;
          continue;
        }
        each.add(got - sent);
        latest = Math.max(latest, got - sent);
      }
      last.add(latest);
    }
    line(String.format("propagation of a post on %s to the %d partner nodes of its 10-node team (%d posts): each"
        + " arrival p50 %.1f / p99 %.1f ms, the last of each post p50 %.1f / p99 %.1f ms, %d lost%n", home,
        partners.size(), POSTS, pct(each, 50), pct(each, 99), pct(last, 50), pct(last, 99), lost));
  }

  // ----- the partner directory --------------------------------------------------------------------------

  /**
   * {@code count} searches by a professional of the first node, one after another, through the web API;
   * with a hung partner named, the answer must list it as unanswered and come within the per-partner timeout.
   */
  private void search(String what, int count, Optional<String> hung) {
    CareClient asker = nodes.professional(names.get(0));
    List<Long> took = new ArrayList<>();
    int asked = 0;
    int unanswered = 0;
    Set<String> problems = new java.util.TreeSet<>();
    for (int i = -5; i < count; i++) {
      long at = System.nanoTime();
      CareClient.Reply reply = asker.get("/api/v1/partner-directory/professionals?q=%E8%A8%AA%E5%95%8F");
      long t = System.nanoTime() - at;
      if (reply.status() != 200) {
        throw new IllegalStateException("the directory search was refused: " + reply);
      }
      if (i < 0) {
        continue;
      }
      took.add(t);
      JsonObject answer = reply.json();
      JsonArray missing = answer.getJsonArray("unanswered");
      asked = answer.getJsonArray("partners").size() + missing.size();
      unanswered = missing.size();
      missing.forEach(m -> problems.add(((JsonObject) m).getString("node") + " " + ((JsonObject) m)
          .getString("problem")));
    }
    line(String.format("%s fanned out to %d partners (%d searches): p50 %.1f / p99 %.1f / max %.1f ms; %d"
        + " unanswered %s%s%n", what, asked, count, pct(took, 50), pct(took, 99), pct(took, 100), unanswered,
        problems, hung.map(h -> String.format(" (target: no answer past the %d ms per-partner timeout: %s)",
            PEER_TIMEOUT_MILLIS, pct(took, 100) <= PEER_TIMEOUT_MILLIS + 1_000 ? "met" : "MISSED")).orElse("")));
  }

  /** One partner hangs: its port accepts connections and never answers (a process stopped, not gone). */
  private void deadPartner(String name) throws Exception {
    int port = nodes.federationPort(name);
    nodes.stop(name);
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket hung = new ServerSocket()) {
      hung.bind(new InetSocketAddress("127.0.0.1", port));
      Thread acceptor = new Thread(() -> {
        while (!hung.isClosed()) {
          try {
            held.add(hung.accept());
          } catch (IOException e) {
            return;
          }
        }
      }, "hung-partner");
      acceptor.setDaemon(true);
      acceptor.start();
      search("directory search with " + name + " hung", Math.max(5, SEARCHES / 10), Optional.of(name));
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  // ----- amendment and withdrawal --------------------------------------------------------------------

  private Path amend(Path agreement, PrefectureNodes.Municipality joining) {
    nodes.start(joining);
    List<String> all = new ArrayList<>(names);
    all.add(joining.node());
    long made = System.nanoTime();
    Path amended = nodes.agreement(all, Optional.of(agreement), "v2");
    double making = seconds(made);
    long submitted = System.nanoTime();
    all.forEach(name -> nodes.submit(name, amended));
    double submitting = seconds(submitted);
    // every node must trust the new party, and the new party every node
    double trusted = untilTrusted(all, all, submitted);
    line(String.format("amendment adding %s (%s) as party %d: drafted and signed by all in %.1f s, submitted to"
        + " every node in %.1f s; every node and the new party trust each other %.1f s after the first submit%n",
        joining.node(), joining.nameJa(), all.size(), making, submitting, trusted));
    return amended;
  }

  /**
   * The party's own withdrawal, submitted to every node (the others first, its own last); right after each
   * import, the withdrawn party's mutual-TLS request to that node is tried once.
   */
  private void withdraw(Path agreement, String party) throws Exception {
    Path statement = nodes.withdrawal(party, agreement);
    TsunaguNode leaving = nodes.nodes.get(party);
    FederationClient asLeaving = new FederationClient(leaving.vertx(), leaving.services().keys().identity(),
        pin -> true);
    List<String> others = nodes.nodes.keySet().stream().filter(n -> !n.equals(party)).toList();
    int refusedAtOnce = 0;
    long at = System.nanoTime();
    for (String other : others) {
      nodes.submit(other, statement);
      if (refuses(asLeaving, other)) {
        refusedAtOnce++;
      }
    }
    double submitted = seconds(at);
    nodes.submit(party, statement);
    int refusing = 0;
    for (String other : others) {
      if (refuses(asLeaving, other)) {
        refusing++;
      }
    }
    asLeaving.close();
    line(String.format("withdrawal of %s submitted to the %d other nodes in %.1f s: %d refused its request right"
        + " after their own import (target: all), %d refuse it at the end (target: all)%n", party, others.size(),
        submitted, refusedAtOnce, refusing));
  }

  /** Whether {@code node} refuses a federation request of the client's node (TLS refused, or not 200). */
  private boolean refuses(FederationClient client, String node) {
    NodeCard card = nodes.nodes.get(node).services().keys().identity().card();
    try {
      return client.get(card, FederationV1.BOARDS, Map.of(), 5_000).await(10, TimeUnit.SECONDS).status() != 200;
    } catch (Exception e) {
      return true;
    }
  }

  // ----- figures ------------------------------------------------------------------------------------

  private static double pct(List<Long> nanos, int p) {
    if (nanos.isEmpty()) {
      return Double.NaN;
    }
    long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    int index = p == 100 ? sorted.length - 1 : Math.min(sorted.length - 1, sorted.length * p / 100);
    return sorted[index] / 1e6;
  }

  private static long heapAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(300);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static long processCpu() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** One write per line: the nodes' log lines would land between the pieces of a printf. */
  private static void line(String text) {
    System.out.print(text);
  }
}
