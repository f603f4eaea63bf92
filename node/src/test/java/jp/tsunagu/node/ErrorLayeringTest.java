package jp.tsunagu.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Errors carry no HTTP outside the web layer: domain, storage and federation code fail with
 * {@code errors.CodedException} and its kind, and only {@code web/} turns a kind into a status.
 * Read from the node's sources, as a reviewer would.
 */
class ErrorLayeringTest {

  private static final Path SOURCES = Path.of("src/main/java/jp/tsunagu/node");
  /** An exception built or subclassed with an HTTP status: {@code new XxxException(404, …)}, {@code super(422, …)}. */
  private static final Pattern STATUS_IN_EXCEPTION =
      Pattern.compile("(new \\w*(Exception|Rejection)|super)\\(\\s*[1-5]\\d\\d\\s*,");

  private static List<Path> sources() {
    assertThat(SOURCES).as("run from the node module").isDirectory();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void no_source_names_an_http_exception_or_builds_an_exception_from_a_status() {
    List<String> offenders = sources().stream().filter(f -> {
      String text = read(f);
      return text.contains("ApiException") || STATUS_IN_EXCEPTION.matcher(text).find();
    }).map(f -> SOURCES.relativize(f).toString()).toList();
    assertThat(offenders).isEmpty();
  }

  @Test
  void only_the_web_layer_turns_a_kind_into_a_status() {
    List<String> outside = sources().stream().filter(f -> !SOURCES.relativize(f).startsWith("web"))
        .filter(f -> read(f).contains("ErrorStatus")).map(f -> SOURCES.relativize(f).toString()).toList();
    assertThat(outside).isEmpty();
  }

  @Test
  void the_errors_package_knows_nothing_of_http_nor_of_the_layers_that_use_it() {
    List<Path> errors = sources().stream().filter(f -> SOURCES.relativize(f).startsWith("errors")).toList();
    assertThat(errors).isNotEmpty();
    for (Path file : errors) {
      String text = read(file);
      assertThat(text).as(file.toString()).doesNotContain("io.vertx.core.http").doesNotContain("io.vertx.ext.web")
          .doesNotContain("io.netty").doesNotContain("import jp.tsunagu.node.");
      assertThat(Pattern.compile("\\b[45]\\d\\d\\b").matcher(text).find()).as(file + " names an HTTP status")
          .isFalse();
    }
  }
}
