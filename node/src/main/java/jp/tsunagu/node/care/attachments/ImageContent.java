package jp.tsunagu.node.care.attachments;

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

  /**
   * The image turned upright by the EXIF orientation of the JPEG it was decoded from (a phone
   * stores a portrait photo sideways and says so there; writing the pixels again drops that note).
   */
  public static BufferedImage upright(BufferedImage image, byte[] content) {
    int orientation = exifOrientation(content);
    if (orientation < 2 || orientation > 8) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    boolean turned = orientation >= 5;
    BufferedImage out = new BufferedImage(turned ? h : w, turned ? w : h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = image.getRGB(x, y);
        switch (orientation) {
          case 2 -> out.setRGB(w - 1 - x, y, rgb);
          case 3 -> out.setRGB(w - 1 - x, h - 1 - y, rgb);
          case 4 -> out.setRGB(x, h - 1 - y, rgb);
          case 5 -> out.setRGB(y, x, rgb);
          case 6 -> out.setRGB(h - 1 - y, x, rgb);
          case 7 -> out.setRGB(h - 1 - y, w - 1 - x, rgb);
          default -> out.setRGB(y, w - 1 - x, rgb);
        }
      }
    }
    return out;
  }

  /** The orientation tag (1–8) of a JPEG's EXIF block; 1 when there is none or it cannot be read. */
  static int exifOrientation(byte[] jpeg) {
    if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
      return 1;
    }
    int at = 2;
    while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
      int marker = jpeg[at + 1] & 0xFF;
      int length = ((jpeg[at + 2] & 0xFF) << 8) | (jpeg[at + 3] & 0xFF);
      if (marker == 0xDA || length < 2) {
        return 1; // the image data starts: no EXIF before it
      }
      if (marker == 0xE1 && at + 4 + length - 2 <= jpeg.length && length >= 16
          && new String(jpeg, at + 4, 6, java.nio.charset.StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
        return tiffOrientation(jpeg, at + 10, at + 2 + length);
      }
      at += 2 + length;
    }
    return 1;
  }

  private static int tiffOrientation(byte[] b, int tiff, int end) {
    boolean little = b[tiff] == 'I';
    int ifd = tiff + (int) read(b, tiff + 4, 4, little);
    if (ifd < tiff || ifd + 2 > end) {
      return 1;
    }
    int entries = (int) read(b, ifd, 2, little);
    for (int i = 0; i < entries; i++) {
      int entry = ifd + 2 + i * 12;
      if (entry + 12 > end) {
        return 1;
      }
      if (read(b, entry, 2, little) == 0x0112) {
        return (int) read(b, entry + 8, 2, little);
      }
    }
    return 1;
  }

  private static long read(byte[] b, int at, int bytes, boolean little) {
    long value = 0;
    for (int i = 0; i < bytes; i++) {
      int octet = b[little ? at + bytes - 1 - i : at + i] & 0xFF;
      value = (value << 8) | octet;
    }
    return value;
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
