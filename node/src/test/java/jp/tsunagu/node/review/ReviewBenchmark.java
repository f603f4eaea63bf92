package jp.tsunagu.node.review;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.web.RouteSet;

/**
 * The figures issue 22 names for the review board, on one 伊那市 node: a session of
 * {@code bench.review.cases} cases (40) for five reviewers with three PDFs of {@code bench.review.pdfKb}
 * KB (2,048) each. Each round every reviewer opens the pre-review screen and one material (stamped with
 * their name and the time on every page), then the same material again (the stamped copy kept for the
 * minute); the same file served unstamped over the same listener, session and TLS is the baseline,
 * measured in the same rounds. Prints p50/p99 of each and the ratios of the p99s.
 * Run with {@code mvn -B -q -pl node -Pbench exec:exec@review-benchmark}: the full size by default; a
 * small run with {@code -Dbench.review.size=small} (8 cases, PDFs of 512 KB, 8 rounds) for a shared
 * machine. {@code bench.review.cases}, {@code .pdfKb} and {@code .rounds} override either size.
 */
public final class ReviewBenchmark {

  private static final boolean SMALL = "small".equals(System.getProperty("bench.review.size", "full"));
  private static final int CASES = positive("bench.review.cases", SMALL ? 8 : 40);
  private static final int PDF_KB = positive("bench.review.pdfKb", SMALL ? 512 : 2048);
  private static final int ROUNDS = positive("bench.review.rounds", SMALL ? 8 : 30);
  private static final String PASSWORD = "Ina-review-bench-2026!";

  private ReviewBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("tsunagu-review-bench-");
    // The baseline route: the same stored file, unstamped, behind the same login.
    TsunaguNode node = TsunaguNode.start(TestNodes.config(dir, "ina").asDemo(), services -> List.of(new RouteSet() {
      @Override
      public void mountPages(Router root) {
        root.get("/bench/unstamped/:hash").handler(ctx -> ctx.vertx().executeBlocking(() -> Files.readAllBytes(
            services.config().dataDir().resolve("review").resolve("attachments")
                .resolve(ctx.pathParam("hash").substring(0, 2)).resolve(ctx.pathParam("hash"))))
            .onSuccess(bytes -> ctx.response().putHeader("Content-Type", "application/pdf")
                .end(Buffer.buffer(bytes))).onFailure(ctx::fail));
      }
    }));
    try {
      System.out.printf(Locale.ROOT, "Tsunagu review board benchmark, %s size (%d cores, %d cases x 5 reviewers x 3"
          + " PDFs of %,d KB, %d rounds)%n", SMALL ? "small" : "full", Runtime.getRuntime().availableProcessors(),
          CASES, PDF_KB, ROUNDS);
      AccountSeeder seeder = new AccountSeeder(node.services());
      String clinic = seeder.createFacility("伊那ベンチ診療所", "202096", "長野県", "clinic");
      CareClient secretariat = client(node, seeder, "ina-shinsa", Role.REVIEW_SECRETARIAT, "municipal_staff",
          Optional.empty());
      List<CareClient> reviewers = new ArrayList<>();
      JsonArray seats = new JsonArray();
      String[] professions = {"doctor", "nurse", "dentist", "care_worker", "social_worker"};
      for (int i = 0; i < 5; i++) {
        CareClient r = client(node, seeder, "ina-iin" + i, Role.PROFESSIONAL, professions[i], Optional.of(clinic));
        reviewers.add(r);
        String appointment = ReviewBed.created(secretariat.post("/api/v1/review/appointments", new JsonObject()
            .put("userId", r.userId).put("qualification", professions[i]).put("termFrom", "2026-04-01")
            .put("termTo", "2028-03-31")));
        seats.add(new JsonObject().put("appointmentId", appointment).put("position", i == 0 ? "chair" : "member"));
      }
      String panel = ReviewBed.created(secretariat.post("/api/v1/review/panels", new JsonObject().put("number", 1)));
      ReviewBed.ok(secretariat.put("/api/v1/review/panels/" + panel + "/members", new JsonObject().put("members", seats)));
      Instant start = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
      String session = ReviewBed.created(secretariat.post("/api/v1/review/sessions", new JsonObject()
          .put("panelId", panel).put("startsAt", start.toString())
          .put("opinionDeadline", start.minus(1, ChronoUnit.DAYS).toString())));
      List<String> materials = new ArrayList<>();
      List<String> hashes = new ArrayList<>();
      long seeding = System.nanoTime();
      for (int k = 0; k < CASES; k++) {
        String caseId = ReviewBed.created(secretariat.post("/api/v1/review/sessions/" + session + "/cases",
            ReviewBed.caseBody(String.format("B-%03d", k), "care_2")));
        for (int m = 0; m < 3; m++) {
          byte[] pdf = ReviewBed.pdf("case " + k + " material " + m, PDF_KB * 1024 + k * 3 + m);
          materials.add(ReviewBed.created(secretariat.postBytes("/api/v1/review/cases/" + caseId
              + "/materials?kind=reference", pdf, "application/pdf")));
          hashes.add(jp.tsunagu.node.care.attachments.AttachmentFiles.sha256(pdf));
        }
      }
      System.out.printf(Locale.ROOT, "seeded %d materials in %.1f s%n", materials.size(),
          (System.nanoTime() - seeding) / 1e9);
      ReviewBed.ok(secretariat.post("/api/v1/review/sessions/" + session + "/release", new JsonObject()));
      Random random = new Random(22);
      List<Long> screen = new ArrayList<>();
      List<Long> stamped = new ArrayList<>();
      List<Long> plain = new ArrayList<>();
      List<Long> again = new ArrayList<>();
      for (int round = -3; round < ROUNDS; round++) { // three rounds of warm-up
        for (CareClient r : reviewers) {
          int pick = random.nextInt(materials.size());
          long a = System.nanoTime();
          require(r.get("/api/v1/review/my/sessions/" + session).status());
          long b = System.nanoTime();
          require(r.download("/api/v1/review/my/materials/" + materials.get(pick)));
          long c = System.nanoTime();
          require(r.download("/bench/unstamped/" + hashes.get(pick)));
          long d = System.nanoTime();
          // Opened again at once (the viewer reloaded, the download after the view): the copy kept for the
          // minute, unless the minute turned in between.
          require(r.download("/api/v1/review/my/materials/" + materials.get(pick)));
          long e = System.nanoTime();
          if (round >= 0) {
            screen.add(b - a);
            stamped.add(c - b);
            plain.add(d - c);
            again.add(e - d);
          }
        }
      }
      report("pre-review screen", screen);
      report("material, stamped", stamped);
      report("material, opened again (kept)", again);
      report("material, unstamped (baseline)", plain);
      System.out.printf(Locale.ROOT, "stamped / unstamped p99: %.2f (p50 %.2f)%n", (double) p(stamped, 99)
          / p(plain, 99), (double) p(stamped, 50) / p(plain, 50));
      System.out.printf(Locale.ROOT, "opened again / unstamped p99: %.2f (p50 %.2f)%n", (double) p(again, 99)
          / p(plain, 99), (double) p(again, 50) / p(plain, 50));
    } finally {
      node.close();
    }
    System.exit(0);
  }

  private static int positive(String property, int otherwise) {
    int value = Integer.getInteger(property, otherwise);
    if (value < 1) {
      throw new IllegalArgumentException(property + " must be at least 1");
    }
    return value;
  }

  private static void require(int status) {
    if (status != 200) {
      throw new IllegalStateException("HTTP " + status);
    }
  }

  private static void require(HttpResponse<byte[]> response) {
    require(response.statusCode());
  }

  private static long p(List<Long> nanos, int percentile) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
  }

  private static void report(String what, List<Long> nanos) {
    System.out.printf(Locale.ROOT, "%-32s n=%d p50 %7.1f ms  p99 %7.1f ms%n", what, nanos.size(), p(nanos, 50) / 1e6,
        p(nanos, 99) / 1e6);
  }

  private static CareClient client(TsunaguNode node, AccountSeeder seeder, String loginId, Role role,
      String profession, Optional<String> facility) {
    String id = seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@ina.example.jp", "伊那", "太郎", "イナ",
        "タロウ", profession, role, facility), PASSWORD, "windows").userId();
    CareClient client = new CareClient(node, id);
    client.login(loginId, PASSWORD);
    return client;
  }

}
