package jp.tsunagu.node.resources;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import jp.tsunagu.node.web.ApiException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The referral sheet as an A4 PDF in large type (body 14 pt, headings 20 pt) for residents who
 * read on paper. Japanese needs an embedded font: the IPA Gothic font Debian ships
 * (fonts-ipafont-gothic), found under /usr/share/fonts at run time.
 */
final class ReferralPdf {

  static final Path FONT_ROOT = Path.of("/usr/share/fonts");
  private static final List<String> FONT_FILES = List.of("ipag.ttf", "ipagp.ttf", "ipaexg.ttf");
  private static final float MARGIN = 56;
  private static final float BODY = 14;
  private static final float HEADING = 20;

  private ReferralPdf() {}

  /** The IPA Gothic font file, or a clear refusal naming the package to install. */
  static Path font(Path root) {
    try (Stream<Path> files = Files.exists(root) ? Files.walk(root) : Stream.empty()) {
      List<Path> found = files.filter(p -> FONT_FILES.contains(p.getFileName().toString())).sorted().toList();
      for (String name : FONT_FILES) {
        Optional<Path> match = found.stream().filter(p -> p.getFileName().toString().equals(name)).findFirst();
        if (match.isPresent()) {
          return match.get();
        }
      }
    } catch (IOException e) {
      // fall through to the refusal below
    }
    throw new ApiException(503, "referrals.font_missing",
        "PDF に使う日本語フォント（IPAゴシック）がありません。運用者は fonts-ipafont-gothic をインストールしてください。");
  }

  static byte[] render(Path fontFile, ReferralSheet sheet) {
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDType0Font font = PDType0Font.load(document, fontFile.toFile());
      Writer writer = new Writer(document, font);
      writer.line(sheet.title(), HEADING);
      writer.gap(6);
      for (String line : sheet.intro()) {
        writer.wrapped(line, BODY);
      }
      for (ReferralSheet.Item item : sheet.items()) {
        writer.gap(12);
        writer.wrapped(item.heading(), HEADING - 2);
        for (String fact : item.facts()) {
          writer.wrapped(fact, BODY);
        }
      }
      writer.gap(12);
      for (String line : sheet.closing()) {
        writer.wrapped(line, BODY - 2);
      }
      writer.close();
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new ApiException(500, "referrals.pdf_failed", "紹介状の PDF を作成できませんでした。");
    }
  }

  /** Writes lines top to bottom, wrapping by measured width and starting new pages as needed. */
  private static final class Writer {
    private final PDDocument document;
    private final PDType0Font font;
    private PDPageContentStream stream;
    private float y;

    Writer(PDDocument document, PDType0Font font) throws IOException {
      this.document = document;
      this.font = font;
      newPage();
    }

    private void newPage() throws IOException {
      if (stream != null) {
        stream.close();
      }
      PDPage page = new PDPage(PDRectangle.A4);
      document.addPage(page);
      stream = new PDPageContentStream(document, page);
      y = PDRectangle.A4.getHeight() - MARGIN;
    }

    void gap(float points) {
      y -= points;
    }

    void wrapped(String text, float size) throws IOException {
      for (String paragraph : text.split("\\R")) {
        for (String line : wrap(printable(paragraph), size)) {
          line(line, size);
        }
      }
    }

    void line(String text, float size) throws IOException {
      float leading = size * 1.6f;
      if (y - leading < MARGIN) {
        newPage();
      }
      y -= leading;
      stream.beginText();
      stream.setFont(font, size);
      stream.newLineAtOffset(MARGIN, y);
      stream.showText(printable(text));
      stream.endText();
    }

    /** Japanese has no spaces to break at, so lines break at any character that would overflow. */
    private List<String> wrap(String text, float size) throws IOException {
      float max = PDRectangle.A4.getWidth() - 2 * MARGIN;
      List<String> lines = new ArrayList<>();
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < text.length(); ) {
        int cp = text.codePointAt(i);
        String ch = new String(Character.toChars(cp));
        if (!line.isEmpty() && font.getStringWidth(line + ch) / 1000 * size > max) {
          lines.add(line.toString());
          line.setLength(0);
        }
        line.append(ch);
        i += Character.charCount(cp);
      }
      lines.add(line.toString());
      return lines;
    }

    /** Characters the font lacks (rare kanji variants, emoji) become 〓, the customary placeholder. */
    private String printable(String text) {
      StringBuilder out = new StringBuilder();
      text.codePoints().forEach(cp -> {
        String ch = new String(Character.toChars(cp));
        try {
          font.encode(Character.isISOControl(cp) ? " " : ch);
          out.append(Character.isISOControl(cp) ? " " : ch);
        } catch (IOException | IllegalArgumentException e) {
          out.append('〓');
        }
      });
      return out.toString();
    }

    void close() throws IOException {
      stream.close();
    }
  }
}
