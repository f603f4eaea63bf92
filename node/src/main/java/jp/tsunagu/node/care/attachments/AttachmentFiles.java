package jp.tsunagu.node.care.attachments;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import jp.tsunagu.node.errors.CodedException;

/**
 * Attachment files on disk, beside the database: {@code attachments/ab/<sha256>}, each stored once
 * however often it is attached, with a JPEG thumbnail for photos. Blocking; called on workers.
 */
public final class AttachmentFiles {

  private static final int THUMBNAIL_EDGE = 320;

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
    Path temp = null;
    try {
      Path file = file(hash);
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        temp = Files.createTempFile(file.getParent(), hash, ".part");
        Files.write(temp, content);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        temp = null;
      }
      return type.thumbnail() && thumbnail(hash, content);
    } catch (IOException e) {
      deleteQuietly(temp); // a file cut short by a full disk must not stay behind
      throw new CodedException(CodedException.Kind.UNAVAILABLE, "storage.write_failed",
          "添付ファイルを保存できませんでした。時間をおいて再度お試しください。", null,
          new UncheckedIOException("cannot store attachment " + hash, e));
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // nothing more to do: the next store of the same hash writes a new temporary file
      }
    }
  }

  private boolean thumbnail(String hash, byte[] content) throws IOException {
    Path thumb = thumbnailFile(hash);
    if (Files.exists(thumb)) {
      return true;
    }
    Optional<BufferedImage> image = ImageContent.read(content);
    if (image.isEmpty()) {
      return false; // a damaged photo is still stored; it just has no thumbnail
    }
    Path temp = Files.createTempFile(thumb.getParent(), hash, ".part");
    BufferedImage small = ImageContent.upright(ImageContent.fit(image.get(), THUMBNAIL_EDGE), content);
    Files.write(temp, ImageContent.write(small, AttachmentType.JPEG));
    Files.move(temp, thumb, StandardCopyOption.ATOMIC_MOVE);
    return true;
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
