package jp.tsunagu.federation.backup;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import jp.tsunagu.federation.ProtocolException;

/**
 * A node's backups in a target directory (a mounted NAS, another disk), laid out as
 * <pre>
 * TARGET/NODE/generations/NAME.tsbak           the encrypted archive (database, checkpoint, manifest …)
 * TARGET/NODE/generations/NAME.json            its plain record, written last: the backup is complete
 * TARGET/NODE/generations/NAME.verified.json   the last verification's outcome
 * TARGET/NODE/objects/AB/OBJECT                attachments, each encrypted once and shared by backups
 * TARGET/NODE/partial/                         files being written; never part of a backup
 * TARGET/NODE/lock                             held while a backup or a pruning runs
 * </pre>
 * Every file is written aside in {@code partial/}, forced to disk and renamed into place, so a crash
 * or a full disk never leaves a file that looks complete.
 */
public final class BackupTarget {
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    static final String ARCHIVE = ".tsbak";
    private static final String RECORD = ".json";
    private static final String VERIFIED = ".verified.json";

    private final Path root;
    private final String node;

    private BackupTarget(Path root, String node) {
        this.root = root;
        this.node = node;
    }

    /**
     * @param targetDir the target directory the operator named
     * @param node      the node whose backups are meant
     */
    public static BackupTarget of(Path targetDir, String node) {
        if (!node.matches("[a-z0-9-]{2,40}")) {
            throw new ProtocolException("backup.node_invalid", "'" + node + "' is not a node name");
        }
        return new BackupTarget(targetDir.resolve(node), node);
    }

    /** @return TARGET/NODE */
    public Path root() {
        return root;
    }

    /** @return the node's name */
    public String node() {
        return node;
    }

    /** @return the name of a backup made at that moment */
    public String nameAt(Instant createdAt) {
        return node + "-" + NAME_TIME.format(createdAt);
    }

    /** @return the encrypted archive of a backup */
    public Path archive(String name) {
        return root.resolve("generations").resolve(name + ARCHIVE);
    }

    Path record(String name) {
        return root.resolve("generations").resolve(name + RECORD);
    }

    Path verification(String name) {
        return root.resolve("generations").resolve(name + VERIFIED);
    }

    /** @return where a shared object is kept */
    public Path object(String objectName) {
        return root.resolve("objects").resolve(objectName.substring(0, 2)).resolve(objectName);
    }

    Path partial() {
        return root.resolve("partial");
    }

    /**
     * @return the complete backups, newest first (a backup whose archive is missing is left out)
     * @throws ProtocolException {@code backup.target_unreadable}
     */
    public List<Generation> list() {
        Path dir = root.resolve("generations");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Generation> generations = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String fileName = file.getFileName().toString();
                if (fileName.endsWith(RECORD) && !fileName.endsWith(VERIFIED)) {
                    String name = fileName.substring(0, fileName.length() - RECORD.length());
                    if (Files.isRegularFile(archive(name))) {
                        generations.add(Generation.parse(Files.readString(file, StandardCharsets.UTF_8),
                                readVerification(name)));
                    }
                }
            }
        } catch (IOException e) {
            throw new ProtocolException("backup.target_unreadable", "cannot read the backups in " + root + ": " + e.getMessage(), e);
        }
        generations.sort(Comparator.comparing(Generation::createdAt).reversed());
        return generations;
    }

    /**
     * @throws ProtocolException {@code backup.not_found} when there is no complete backup of that name
     */
    public Generation find(String name) {
        return list().stream().filter(g -> g.name().equals(name)).findFirst()
                .orElseThrow(() -> new ProtocolException("backup.not_found", "no complete backup named " + name + " in " + root));
    }

    private Optional<Generation.Verification> readVerification(String name) throws IOException {
        try {
            return Optional.of(Generation.Verification.parse(Files.readString(verification(name), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (ProtocolException | java.time.format.DateTimeParseException e) {
            return Optional.of(new Generation.Verification(false, Instant.EPOCH, "backup.record_invalid",
                    "the verification record cannot be read"));
        }
    }

    /** Records a verification's outcome beside the backup (atomically). */
    public void recordVerification(String name, Generation.Verification outcome) {
        writeAtomically(verification(name), outcome.toJson().getBytes(StandardCharsets.UTF_8));
    }

    void recordComplete(Generation generation) {
        writeAtomically(record(generation.name()), generation.toJson().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Takes the target's lock for this process (released by the OS if the process dies).
     *
     * @throws ProtocolException {@code backup.in_progress} when another backup or pruning holds it,
     *     {@code backup.target_unwritable} when the target cannot be written
     */
    public Lock lock() {
        try {
            Files.createDirectories(root);
            FileChannel channel = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held;
            try {
                held = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                held = null;
            }
            if (held == null) {
                channel.close();
                throw new ProtocolException("backup.in_progress", "another backup of " + node + " is being written to "
                        + root + " right now; try again when it has finished");
            }
            return new Lock(channel, held);
        } catch (IOException e) {
            throw unwritable(e);
        }
    }

    /** The target's lock; while held, files left in {@code partial/} belong to no running backup. */
    public final class Lock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock held;

        private Lock(FileChannel channel, FileLock held) {
            this.channel = channel;
            this.held = held;
        }

        /** Removes what backups cut short left in {@code partial/}. */
        public void clearPartial() {
            Path partial = partial();
            if (!Files.isDirectory(partial)) {
                return;
            }
            try (Stream<Path> files = Files.list(partial)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                throw unwritable(e);
            }
        }

        /**
         * Deletes backups: the record first (from then on it is not complete), then the archive and
         * its verification; then every object no remaining backup uses.
         *
         * @return the objects deleted
         */
        public int delete(List<Generation> doomed) {
            try {
                for (Generation generation : doomed) {
                    Files.deleteIfExists(record(generation.name()));
                    Files.deleteIfExists(archive(generation.name()));
                    Files.deleteIfExists(verification(generation.name()));
                }
                Set<String> used = new HashSet<>();
                list().forEach(g -> used.addAll(g.objects()));
                int deleted = 0;
                Path objects = root.resolve("objects");
                if (Files.isDirectory(objects)) {
                    try (Stream<Path> files = Files.walk(objects)) {
                        for (Path file : files.filter(Files::isRegularFile).toList()) {
                            if (!used.contains(file.getFileName().toString())) {
                                Files.delete(file);
                                deleted++;
                            }
                        }
                    }
                }
                return deleted;
            } catch (IOException e) {
                throw unwritable(e);
            }
        }

        @Override
        public void close() {
            try {
                held.release();
                channel.close();
            } catch (IOException e) {
                // the OS releases the lock with the channel
            }
        }
    }

    /** Writes a small file aside, forces it to disk and renames it into place. */
    void writeAtomically(Path file, byte[] content) {
        try {
            Files.createDirectories(partial());
            Path temp = partial().resolve(file.getFileName() + ".part");
            try (OutputStream out = syncedOutput(temp)) {
                out.write(content);
            }
            moveIntoPlace(temp, file);
        } catch (IOException e) {
            throw unwritable(e);
        }
    }

    /** Renames a finished file into place and forces the directory entry to disk. */
    static void moveIntoPlace(Path temp, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory; the rename itself is atomic either way
        }
    }

    /**
     * A file output whose close forces its content to the disk first. It syncs through the file
     * descriptor, not {@code getChannel().force}: a stream that has a channel closes it on close, and
     * the channel closes its stream in turn, which re-entered this method on a closed channel.
     */
    static OutputStream syncedOutput(Path file) throws IOException {
        return new FileOutputStream(file.toFile()) {
            private boolean closed;

            @Override
            public void close() throws IOException {
                if (closed) {
                    return; // the channel's close calls back here
                }
                closed = true;
                try {
                    getFD().sync();
                } finally {
                    super.close();
                }
            }
        };
    }

    ProtocolException unwritable(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        boolean full = message.contains("No space left") || message.contains("Disk quota");
        return new ProtocolException(full ? "backup.target_full" : "backup.target_unwritable",
                (full ? "the backup target " + root + " is full: " : "cannot write to the backup target " + root + ": ")
                        + message, e);
    }
}
