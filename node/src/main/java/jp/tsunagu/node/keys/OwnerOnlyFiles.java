package jp.tsunagu.node.keys;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes secrets so that only the node's own OS user can read them (0700 folders, 0600 files). */
public final class OwnerOnlyFiles {

  private static final boolean POSIX = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews()
      .contains("posix");

  private OwnerOnlyFiles() {}

  public static void createDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (POSIX) {
      FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------"));
      Files.createDirectories(dir, attr);
    } else {
      Files.createDirectories(dir);
    }
  }

  /** Creates a new file with owner-only permissions; never overwrites an existing one. */
  public static void writeNew(Path file, byte[] content) throws IOException {
    if (Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString());
    }
    if (POSIX) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(file, content, StandardOpenOption.TRUNCATE_EXISTING);
    } else {
      Files.write(file, content, StandardOpenOption.CREATE_NEW);
    }
  }
}
