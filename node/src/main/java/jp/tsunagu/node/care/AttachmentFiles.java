package jp.tsunagu.node.care;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Attachment files on disk, beside the database: {@code attachments/ab/<sha256>}, each stored once
 * however often it is attached, with a JPEG thumbnail for photos. Blocking; called on workers.
 */
public final class AttachmentFiles {

  private static final int THUMBNAIL_EDGE = 320;
  /** Larger images are stored but get no thumbnail (a decompression bomb would exhaust memory). */
  private static final long MAX_THUMBNAIL_SOURCE_PIXELS = 50_000_000L;

  private final Path root;

  public AttachmentFiles(Path dataDir) {
    this.root = dataDir.resolve("attachments");
  }

  public static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Stores the content (once per hash) and, for photos, its thumbnail; returns whether a thumbnail exists. */
  public boolean store(String hash, byte[] content, AttachmentType type) {
    try {
      Path file = file(hash);
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Path temp = Files.createTempFile(file.getParent(), hash, ".part");
        Files.write(temp, content);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      }
      return type.thumbnail() && thumbnail(hash, content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store attachment " + hash, e);
    }
  }

  private boolean thumbnail(String hash, byte[] content) throws IOException {
    Path thumb = thumbnailFile(hash);
    if (Files.exists(thumb)) {
      return true;
    }
    BufferedImage image = readBounded(content);
    if (image == null) {
      return false;
    }
    double scale = Math.min(1.0, (double) THUMBNAIL_EDGE / Math.max(image.getWidth(), image.getHeight()));
    int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
    BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = small.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.drawImage(image, 0, 0, width, height, null);
    g.dispose();
    Path temp = Files.createTempFile(thumb.getParent(), hash, ".part");
    ImageIO.write(small, "jpg", temp.toFile());
    Files.move(temp, thumb, StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  private static BufferedImage readBounded(byte[] content) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        if ((long) reader.getWidth(0) * reader.getHeight(0) > MAX_THUMBNAIL_SOURCE_PIXELS) {
          return null;
        }
        return reader.read(0);
      } catch (IOException | RuntimeException e) {
        return null; // a damaged photo is still stored; it just has no thumbnail
      } finally {
        reader.dispose();
      }
    }
  }

  /** Removes a file and its thumbnail (the caller made sure no row names it any more). */
  public void delete(String hash) {
    try {
      Files.deleteIfExists(file(hash));
      Files.deleteIfExists(thumbnailFile(hash));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete attachment " + hash, e);
    }
  }

  public Path file(String hash) {
    return root.resolve(hash.substring(0, 2)).resolve(hash);
  }

  public Path thumbnailFile(String hash) {
    return root.resolve(hash.substring(0, 2)).resolve(hash + ".thumb.jpg");
  }
}
