package jp.tsunagu.admin.backup;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;

import jp.tsunagu.admin.CliException;
import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.federation.backup.BackupKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backup keygen --out FILE}: the operator's backup key. Only the public half (the recipient)
 * goes to the node; the file with the private half is what decrypts every backup, so it is written
 * owner-only, never over an existing file (that would lose the key of every earlier backup).
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Generate the operator's backup key: write its private half to FILE (owner-only, 0600; an existing "
                + "file is never overwritten) and print its public half (the recipient) for the node's backup.recipient.",
        footerHeading = "%n", footer = {"Example:",
            "  tsunagu-admin backup keygen --out /media/usb-key/ina.backup-key",
            "",
            "Keep FILE apart from the backups (a USB key in the safe, a password manager): whoever holds both reads every "
                    + "patient's data; whoever loses FILE can restore nothing."})
public final class BackupKeygenCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the private key (must not exist).")
    Path out;

    @Override
    public Integer call() {
        BackupKey key = BackupKey.generate();
        write(out, key.privateText() + "\n");
        PrintWriter print = spec.commandLine().getOut();
        print.println("backup key written to " + out + " (owner-only)");
        print.println("recipient: " + key.recipient());
        print.println();
        print.println("Set it as backup.recipient in the node's configuration:  \"backup\": {\"recipient\": \""
                + key.recipient() + "\", \"target\": \"…\"}");
        print.println("Keep " + out.getFileName() + " apart from the backups (not on the node, not on the backup target): "
                + "it alone decrypts them, and without it nothing can be restored.");
        print.flush();
        return ExitCodes.OK;
    }

    /** Creates the file with owner-only permissions from the start, so the key is never readable by others, not even briefly. */
    private static void write(Path file, String text) {
        try {
            Path absolute = file.toAbsolutePath();
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            if (Files.getFileStore(absolute.getParent()).supportsFileAttributeView("posix")) {
                Files.createFile(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(absolute);
            }
            Files.writeString(absolute, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new CliException(ExitCodes.INPUT, file + " exists already: a backup key is never overwritten (it may be the "
                    + "only key to earlier backups); choose another file", e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.INPUT, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
