package jp.tsunagu.node.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import jp.tsunagu.node.config.ConfigException;

/**
 * The operator credential of the admin API: a random token in {@code <dataDir>/admin-token}, created
 * at first start readable by the node's own OS user alone (0600) and reused after; {@code tsunagu-admin}
 * reads it and sends it as {@code Authorization: Bearer …}. Whoever can read the file can already read
 * the node's keys and database. A start refuses a token file that other users may read. Delete the
 * file and restart the node to replace the token. The token is never logged.
 */
public final class AdminToken {

  public static final String FILE = "admin-token";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

  private final byte[] token;

  private AdminToken(String token) {
    this.token = token.getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads the token file of the data directory, creating it (owner-only) when there is none. */
  public static AdminToken loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      if (!Files.exists(file)) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        OwnerOnlyFiles.writeNew(file, (Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "\n")
            .getBytes(StandardCharsets.US_ASCII));
      }
      if (Files.getFileStore(file).supportsFileAttributeView("posix")
          && Files.getPosixFilePermissions(file).stream().anyMatch(OTHERS::contains)) {
        throw new ConfigException("dataDir", file + " may be read or written by other users: make it readable by the"
            + " node's own account only (chmod 600) or delete it to have a new token made");
      }
      String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (token.length() < 32) {
        throw new ConfigException("dataDir", file + " holds no usable token: delete it to have a new one made");
      }
      return new AdminToken(token);
    } catch (IOException e) {
      throw new ConfigException("dataDir", "cannot create or read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether the presented token is this one (compared in constant time). */
  public boolean matches(String presented) {
    return presented != null
        && MessageDigest.isEqual(token, presented.trim().getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return "AdminToken[(secret)]";
  }
}
