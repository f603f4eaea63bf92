package jp.tsunagu.node.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.keys.OwnerOnlyFiles;

/**
 * Names of attachment objects in a backup target: HMAC-SHA256 of the file's path under a key only
 * the node holds ({@value #FILE} in its data directory). The same attachment gets the same name in
 * every backup, so it is copied once; but the name is no content hash, so someone who can read the
 * target cannot test whether it holds a document they have.
 */
final class ObjectNames {

  static final String FILE = "backup-object-names.key";

  private final byte[] key;

  private ObjectNames(byte[] key) {
    this.key = key;
  }

  /** The node's naming key, made on the first backup. */
  static ObjectNames of(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      if (!Files.exists(file)) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try {
          OwnerOnlyFiles.writeNew(file, HexFormat.of().formatHex(fresh).getBytes(StandardCharsets.US_ASCII));
        } catch (FileAlreadyExistsException e) {
          // made meanwhile by another run: read it
        }
      }
      return new ObjectNames(HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).strip()));
    } catch (IOException | IllegalArgumentException e) {
      throw new CodedException(CodedException.Kind.INTERNAL, "backup.naming_key_unreadable",
          FILE + " in the data directory cannot be read; move it aside to make a new one (the next backup then"
              + " copies every attachment again)", null, e);
    }
  }

  String of(String path) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(path.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }
}
