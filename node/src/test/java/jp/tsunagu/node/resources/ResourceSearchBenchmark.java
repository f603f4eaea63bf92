package jp.tsunagu.node.resources;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.testing.TestHttp;
import jp.tsunagu.node.testing.TestNodes;

/**
 * Public search with 10,000 published resources under concurrent load, against the static shell
 * page served by the same node in the same run. Targets: p99 <= 30 ms and at least 0.3 of the
 * static page's throughput. Run with {@code mvn -B -q -pl node -am -Pbench verify -DskipTests}.
 */
public final class ResourceSearchBenchmark {

  private static final int RESOURCES = 10_000;
  private static final int CLIENTS = 16;
  private static final Duration WARM_UP = Duration.ofSeconds(4);
  private static final Duration MEASURE = Duration.ofSeconds(10);
  private static final String[] QUERIES = {"q=%E3%82%B5%E3%83%AD%E3%83%B3", "category=gathering.exercise",
      "tag=%E4%BD%93%E6%93%8D", "q=%E4%BA%95%E6%88%B8%E7%AB%AF&area=202096", "category=care&page=3", ""};

  private record Figures(double perSecond, double p50Millis, double p99Millis) {}

  private ResourceSearchBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("tsunagu-resources-bench-");
    try (TsunaguNode node = TsunaguNode.start(TestNodes.config(dir, "ina"))) {
      seed(node);
      System.out.println("Tsunagu resource search benchmark (" + Runtime.getRuntime().availableProcessors()
          + " cores, " + RESOURCES + " published resources, " + CLIENTS + " concurrent clients)");
      if (args.length > 0 && args[0].equals("--profile")) {
        profile();
      }
      run(node, false, WARM_UP);
      run(node, true, WARM_UP);
      Figures baseline = run(node, false, MEASURE);
      Figures search = run(node, true, MEASURE);
      System.out.printf(Locale.ROOT, "  baseline: static page /index.html  %,8.0f req/s  p50 %5.1f ms  p99 %5.1f ms%n",
          baseline.perSecond(), baseline.p50Millis(), baseline.p99Millis());
      System.out.printf(Locale.ROOT, "  public search /resources/search    %,8.0f req/s  p50 %5.1f ms  p99 %5.1f ms%n",
          search.perSecond(), search.p50Millis(), search.p99Millis());
      double ratio = search.perSecond() / baseline.perSecond();
      System.out.printf(Locale.ROOT, "  p99 %.1f ms (target <= 30 ms) %s; throughput ratio %.2f (target >= 0.3) %s%n",
          search.p99Millis(), search.p99Millis() <= 30 ? "MET" : "NOT MET", ratio, ratio >= 0.3 ? "MET" : "NOT MET");
    }
    System.exit(0);
  }

  private static Catalog catalog;

  /** Where a search request's time goes, without HTTP: filtering the catalog versus rendering the page. */
  private static void profile() {
    for (String q : new String[] {"サロン", ""}) {
      SearchQuery query = new SearchQuery(q, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
      long started = System.nanoTime();
      int n = 0;
      for (int i = 0; i < 200; i++) {
        n += catalog.search(query).size();
      }
      System.out.printf(Locale.ROOT, "  profile: search '%s' %.2f ms each (%d hits)%n", q,
          (System.nanoTime() - started) / 1e6 / 200, n / 200);
      List<Catalog.Hit> hits = catalog.search(query).subList(0, 50);
      started = System.nanoTime();
      for (int i = 0; i < 200; i++) {
        ResourceHtml.list("results", hits, catalog.vocabulary());
      }
      System.out.printf(Locale.ROOT, "  profile: render 50 items %.2f ms each%n", (System.nanoTime() - started) / 1e6 / 200);
    }
  }

  /** 10,000 resources spread over 伊那市, written in batches like a large CSV import. */
  private static void seed(TsunaguNode node) throws Exception {
    ResourceService service = ResourcesFeature.service(node.services());
    Vocabulary vocabulary = service.catalog().toCompletionStage().toCompletableFuture().get().vocabulary();
    List<Category> subs = vocabulary.categories().stream().filter(c -> !c.topLevel()).toList();
    Random random = new Random(7);
    Instant now = Instant.now();
    for (int batch = 0; batch < RESOURCES / 500; batch++) {
      List<ResourceFields> rows = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        Category sub = subs.get(random.nextInt(subs.size()));
        List<String> tags = Arrays.asList(vocabulary.tags().get(random.nextInt(vocabulary.tags().size())),
            vocabulary.tags().get(random.nextInt(vocabulary.tags().size()))).stream().distinct().toList();
        rows.add(new ResourceFields(sub.nameJa() + " 井戸端" + (batch * 500 + i), "イドバタ", sub.parentCode().orElseThrow(),
            Optional.of(sub.code()), tags, "202096", "伊那市荒井" + i, "",
            new GeoPoint(35.78 + random.nextDouble() * 0.12, 137.90 + random.nextDouble() * 0.18), "0265-78-4111", "",
            "", "地域の皆さんが集まる場です。お気軽にどうぞ。", new Schedule(List.of(Recurrence.parse("weekly:thu@10:00-12:00")
                .orElseThrow()), ""), "無料", Optional.of(20), "", "", "", "", Optional.of(LocalDate.of(2025, 4, 1))));
      }
      node.services().database().submitWrite(c -> {
        for (ResourceFields f : rows) {
          ResourceSql.insert(c, Ids.next(), f, true, now);
        }
        return null;
      }).get();
    }
    // Any change through the service rebuilds the in-memory catalog, as an import does.
    service.addTag("ベンチマーク").toCompletionStage().toCompletableFuture().get();
    catalog = service.catalog().toCompletionStage().toCompletableFuture().get();
  }

  private static Figures run(TsunaguNode node, boolean search, Duration duration) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    long end = System.nanoTime() + duration.toNanos();
    List<Future<long[]>> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      clients.add(pool.submit(() -> load(node, search, client, end)));
    }
    List<Long> latencies = new ArrayList<>();
    for (Future<long[]> c : clients) {
      for (long l : c.get(5, TimeUnit.MINUTES)) {
        latencies.add(l);
      }
    }
    pool.shutdown();
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Figures(sorted.length / (duration.toNanos() / 1e9), sorted[sorted.length / 2] / 1e6,
        sorted[(int) (sorted.length * 0.99)] / 1e6);
  }

  private static long[] load(TsunaguNode node, boolean search, int client, long end) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(TestHttp.trusting(node.services().keys().identity().tlsCertificate())).build();
    List<Long> latencies = new ArrayList<>();
    int n = client;
    while (System.nanoTime() < end) {
      String path = search ? "/resources/search?" + QUERIES[n++ % QUERIES.length] : "/index.html";
      HttpRequest request = HttpRequest.newBuilder(URI.create(node.webUrl() + path)).GET().build();
      long started = System.nanoTime();
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      latencies.add(System.nanoTime() - started);
      if (response.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + response.statusCode() + ": "
            + new String(response.body(), StandardCharsets.UTF_8));
      }
    }
    return latencies.stream().mapToLong(Long::longValue).toArray();
  }
}
