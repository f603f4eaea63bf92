package jp.tsunagu.node.pdf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import jp.tsunagu.node.web.ApiException;

/**
 * The Japanese font every PDF of the node embeds: IPA Gothic as Debian ships it
 * (fonts-ipafont-gothic, installed by {@code .ci/run}), found under the system font folder at run
 * time rather than bundled, so the jar stays small and the font stays the distribution's.
 */
public final class JapanesePdfFont {

  /** Where Debian puts fonts; the IPA files sit a few folders below it. */
  public static final Path SYSTEM_FONTS = Path.of("/usr/share/fonts");
  /** Preferred first: the fixed-width IPA Gothic lines up label columns; the others still read well. */
  private static final List<String> FONT_FILES = List.of("ipag.ttf", "ipagp.ttf", "ipaexg.ttf");

  private JapanesePdfFont() {}

  /**
   * The IPA Gothic font file under {@code root}, or a 503 with the caller's code (each feature
   * keeps its own, e.g. {@code referrals.font_missing}) naming the package an operator must install.
   */
  public static Path locate(Path root, String missingCode) {
    try (Stream<Path> files = Files.exists(root) ? Files.walk(root) : Stream.empty()) {
      List<Path> found = files.filter(p -> FONT_FILES.contains(p.getFileName().toString())).sorted().toList();
      for (String name : FONT_FILES) {
        Optional<Path> match = found.stream().filter(p -> p.getFileName().toString().equals(name)).findFirst();
        if (match.isPresent()) {
          return match.get();
        }
      }
    } catch (IOException e) {
      // an unreadable font folder is answered like a missing font, below
    }
    throw new ApiException(503, missingCode,
        "PDF に使う日本語フォント（IPAゴシック）がありません。運用者は fonts-ipafont-gothic をインストールしてください。");
  }
}
