package jp.tsunagu.federation.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import jp.tsunagu.federation.ProtocolException;

/** Owner-only files for secrets: 0700 directories and 0600 files where POSIX permissions exist. */
final class SecureFiles {
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private SecureFiles() {
    }

    static void createDirectories(Path dir) {
        try {
            Path absolute = dir.toAbsolutePath();
            if (!Files.isDirectory(absolute)) {
                if (absolute.getParent() != null) {
                    Files.createDirectories(absolute.getParent());
                }
                Files.createDirectory(absolute);
            }
            restrict(absolute, DIRECTORY);
        } catch (FileAlreadyExistsException e) {
            throw new ProtocolException("identity.io_error", dir + " exists and is not a directory", e);
        } catch (IOException e) {
            throw new ProtocolException("identity.io_error", "cannot create directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes through a temporary sibling and a rename, so a crash never leaves half a key. */
    static void write(Path file, String content) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temporary);
            Files.createFile(temporary);
            restrict(temporary, FILE);
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ProtocolException("identity.io_error", "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ProtocolException("identity.corrupt", "identity file missing: " + file.getFileName(), e);
        } catch (IOException e) {
            throw new ProtocolException("identity.io_error", "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }
}
