package jp.tsunagu.node.pdf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The Japanese font every PDF of the node embeds (as a subset of the characters used). An IPA
 * Gothic installed on the system (Debian's fonts-ipafont-gothic) is preferred when present, since
 * its fixed-width face lines up label columns; otherwise the IPAex Gothic carried in the jar is
 * used, so no PDF needs a system package. The IPA Font License v1.0 allows redistributing it; its
 * text sits beside the font file.
 */
public final class JapanesePdfFont {

  /**
   * The JVM property naming the folder searched for a system font; Debian's font folder unless set.
   * Pointing it at an empty folder leaves only the bundled font.
   */
  public static final String SYSTEM_FONTS_PROPERTY = "tsunagu.pdf.systemFonts";
  private static final Path DEBIAN_FONTS = Path.of("/usr/share/fonts");
  private static final List<String> FONT_FILES = List.of("ipag.ttf", "ipagp.ttf", "ipaexg.ttf");
  private static final String BUNDLED = "ipaexg.ttf";

  private final Optional<Path> systemFile;

  private JapanesePdfFont(Optional<Path> systemFile) {
    this.systemFile = systemFile;
  }

  /** The folder searched for a system font. */
  public static Path systemFonts() {
    String configured = System.getProperty(SYSTEM_FONTS_PROPERTY);
    return configured == null || configured.isBlank() ? DEBIAN_FONTS : Path.of(configured);
  }

  /** An IPA font found under {@code root}, else the bundled IPAex Gothic. */
  public static JapanesePdfFont find(Path root) {
    return new JapanesePdfFont(systemFile(root));
  }

  /** The font file in use when it is the system's; empty when it is the bundled one. */
  public Optional<Path> systemFile() {
    return systemFile;
  }

  /** Loads the font into {@code document} for subset embedding. */
  PDType0Font load(PDDocument document) throws IOException {
    if (systemFile.isPresent()) {
      return PDType0Font.load(document, systemFile.get().toFile());
    }
    return PDType0Font.load(document, new ByteArrayInputStream(Bundled.BYTES));
  }

  private static Optional<Path> systemFile(Path root) {
    try (Stream<Path> files = Files.isDirectory(root) ? Files.walk(root) : Stream.empty()) {
      List<Path> found = files.filter(p -> FONT_FILES.contains(p.getFileName().toString())).sorted().toList();
      for (String name : FONT_FILES) {
        Optional<Path> match = found.stream().filter(p -> p.getFileName().toString().equals(name)).findFirst();
        if (match.isPresent()) {
          return match;
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // an unreadable font folder leaves the bundled font, as a missing one does
    }
    return Optional.empty();
  }

  /** The bundled font's bytes, read once on first use (the holder idiom keeps that lazy and safe). */
  private static final class Bundled {
    static final byte[] BYTES = read();

    private static byte[] read() {
      try (InputStream in = JapanesePdfFont.class.getResourceAsStream(BUNDLED)) {
        if (in == null) {
          throw new IllegalStateException("the jar lacks its bundled font " + BUNDLED);
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
