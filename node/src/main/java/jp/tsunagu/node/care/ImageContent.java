package jp.tsunagu.node.care;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Photos read and written again by the JDK's image codecs, shared by care attachments (their
 * thumbnails) and regional resources' photos (stored re-encoded, so nothing but the pixels of a
 * real image is ever served: no appended HTML, no metadata such as a camera's position). Blocking.
 */
public final class ImageContent {

  /** Larger images are not decoded (a decompression bomb would exhaust memory). */
  static final long MAX_SOURCE_PIXELS = 50_000_000L;

  private ImageContent() {}

  /** The decoded image, or empty when the content does not decode or is too large to decode safely. */
  public static Optional<BufferedImage> read(byte[] content) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return Optional.empty();
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        if ((long) reader.getWidth(0) * reader.getHeight(0) > MAX_SOURCE_PIXELS) {
          return Optional.empty();
        }
        return Optional.ofNullable(reader.read(0));
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The image scaled to fit {@code edge} pixels (never enlarged), on white, as RGB. */
  public static BufferedImage fit(BufferedImage image, int edge) {
    double scale = Math.min(1.0, (double) edge / Math.max(image.getWidth(), image.getHeight()));
    int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
    BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = small.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.drawImage(image, 0, 0, width, height, null);
    g.dispose();
    return small;
  }

  /** The image written as a new file of the type: PNG, or JPEG at quality 0.9. */
  public static byte[] write(BufferedImage image, AttachmentType type) {
    String format = switch (type) {
      case PNG -> "png";
      case JPEG -> "jpg";
      default -> throw new IllegalArgumentException("no writer for " + type);
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (type == AttachmentType.JPEG) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
      }
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot encode an image in memory", e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
