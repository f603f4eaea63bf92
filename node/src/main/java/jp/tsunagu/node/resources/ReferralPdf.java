package jp.tsunagu.node.resources;

import java.io.IOException;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import jp.tsunagu.node.pdf.PdfLines;

/**
 * The referral sheet as an A4 PDF in large type (body 14 pt, headings 20 pt) for residents who
 * read on paper, in the embedded Japanese font ({@link JapanesePdfFont}).
 */
final class ReferralPdf {

  private static final float BODY = 14;
  private static final float HEADING = 20;

  private ReferralPdf() {}

  static byte[] render(JapanesePdfFont font, ReferralSheet sheet) {
    try {
      return PdfLines.render(font, writer -> {
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
      });
    } catch (IOException e) {
      throw CodedException.internal("referrals.pdf_failed", "紹介状の PDF を作成できませんでした。");
    }
  }
}
