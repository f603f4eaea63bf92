package jp.tsunagu.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reading inputs and writing outputs so that a failed command leaves no partial file behind. */
public final class CliFiles {
    private CliFiles() {
    }

    /**
     * @param file an input file
     * @return its UTF-8 text
     * @throws CliException exit code 3 when it cannot be read
     */
    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.INPUT, "no such file: " + file, e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.INPUT, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes through a temporary sibling and a rename, called only once everything has succeeded.
     *
     * @param file    the output file
     * @param content its text
     * @throws CliException exit code 3 when it cannot be written
     */
    public static void write(Path file, String content) {
        Path absolute = file.toAbsolutePath();
        Path temporary = absolute.resolveSibling("." + absolute.getFileName() + ".tmp");
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // the original failure is the one to report
            }
            throw new CliException(ExitCodes.INPUT, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
