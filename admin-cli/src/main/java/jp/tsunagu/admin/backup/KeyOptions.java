package jp.tsunagu.admin.backup;

import java.nio.file.Files;
import java.nio.file.Path;

import jp.tsunagu.admin.CliException;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.federation.backup.BackupKey;
import picocli.CommandLine.Option;

/** {@code --target DIR}, {@code --key FILE} and {@code --work-dir DIR}: what every offline backup command reads with. */
public class KeyOptions {
    /** The backup target directory (TARGET/NODE/… inside). */
    @Option(names = "--target", required = true, paramLabel = "DIR",
            description = "The backup target: the directory the node's backup.target names (TARGET/NODE/generations … inside).")
    public Path target;

    /** The operator's private backup key. */
    @Option(names = "--key", required = true, paramLabel = "FILE",
            description = "The private backup key written by 'backup keygen' (kept apart from the backups).")
    public Path keyFile;

    /** Where backups are decrypted for checking. */
    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "${sys:java.io.tmpdir}",
            description = "Where the backup is decrypted for the checks and deleted afterwards; needs room for the database "
                    + "and the attachments. Default: the system's temporary directory.")
    public Path workDir;

    /** @return the key, read and parsed */
    public BackupKey key() {
        if (!Files.isRegularFile(keyFile)) {
            throw new CliException(ExitCodes.INPUT, "no backup key file at " + keyFile);
        }
        return BackupKey.read(keyFile);
    }
}
