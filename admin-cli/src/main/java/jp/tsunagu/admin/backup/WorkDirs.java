package jp.tsunagu.admin.backup;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import jp.tsunagu.admin.CliException;
import jp.tsunagu.admin.ExitCodes;

/**
 * The directories the backup commands extract into: created owner-only (a backup holds patients'
 * data and may hold the node's private keys), and deleted with everything in them when done.
 */
final class WorkDirs {
    private WorkDirs() {
    }

    /** @return a new empty owner-only directory inside {@code parent} (created if missing) */
    static Path create(Path parent, String prefix) {
        try {
            Files.createDirectories(parent);
            // createTempDirectory makes it 0700 where POSIX permissions exist
            return Files.createTempDirectory(parent, prefix);
        } catch (IOException e) {
            throw new CliException(ExitCodes.INPUT, "cannot create a working directory in " + parent + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a directory and everything in it; what cannot be deleted is named, never hidden. */
    static void delete(Path dir, java.io.PrintWriter err) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            err.println("warning: could not delete " + dir + " (" + e.getMessage() + "): it holds a decrypted backup, delete it by hand");
            err.flush();
        }
    }

    /** Makes every directory 0700 and every file 0600, where POSIX permissions exist. */
    static void ownerOnly(Path dir) throws IOException {
        FileStore store = Files.getFileStore(dir);
        if (!store.supportsFileAttributeView("posix")) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.toList();
        }
        for (Path path : paths) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwx------" : "rw-------"));
        }
    }

    /** @return whether the directory has no entries (false when it does not exist) */
    static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
