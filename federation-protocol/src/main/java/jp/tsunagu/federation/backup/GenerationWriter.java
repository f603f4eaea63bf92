package jp.tsunagu.federation.backup;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import jp.tsunagu.federation.ProtocolException;

/**
 * Writes one backup into a target while the caller holds the target's {@link BackupTarget.Lock}:
 * files go into the encrypted archive as they are added (compressed, then sealed), attachments into
 * shared objects (only those the target does not hold yet), and {@link #finish} adds the manifest,
 * forces the archive to disk, renames it into place and writes the record that makes it complete.
 * Closing a writer that did not finish removes what it wrote aside.
 */
public final class GenerationWriter implements AutoCloseable {
    private final BackupTarget target;
    private final BackupTarget.Lock lock;
    private final byte[] recipient;
    private final String name;
    private final Instant createdAt;
    private final Path partialArchive;
    private final CountingStream counted;
    private final ZipOutputStream zip;
    private final List<BackupManifest.FileEntry> files = new ArrayList<>();
    private final List<BackupManifest.FileEntry> attachments = new ArrayList<>();
    private final List<String> objects = new ArrayList<>();
    private long objectsAdded;
    private long bytesAdded;
    private boolean finished;

    private GenerationWriter(BackupTarget target, BackupTarget.Lock lock, byte[] recipient, Instant createdAt)
            throws IOException {
        this.target = target;
        this.lock = lock;
        this.recipient = recipient;
        this.createdAt = createdAt;
        this.name = target.nameAt(createdAt);
        if (Files.exists(target.record(name))) {
            throw new ProtocolException("backup.exists", "a backup named " + name + " exists already");
        }
        Files.createDirectories(target.partial());
        this.partialArchive = target.partial().resolve(name + BackupTarget.ARCHIVE + ".part");
        this.counted = new CountingStream(BackupTarget.syncedOutput(partialArchive));
        OutputStream sealed = BackupEnvelope.encrypt(new BufferedOutputStream(counted, 1 << 16), recipient,
                Map.of("node", target.node(), "createdAt", createdAt.toString(), "kind", "archive"));
        this.zip = new ZipOutputStream(sealed);
        zip.setLevel(Deflater.BEST_SPEED);
    }

    /**
     * Starts a backup; the caller holds {@code lock} until the writer is closed.
     *
     * @throws ProtocolException {@code backup.target_full}, {@code backup.target_unwritable}
     */
    public static GenerationWriter begin(BackupTarget target, BackupTarget.Lock lock, byte[] recipient, Instant createdAt) {
        lock.clearPartial();
        try {
            return new GenerationWriter(target, lock, recipient, createdAt);
        } catch (IOException e) {
            throw target.unwritable(e);
        }
    }

    /** @return the backup's name */
    public String name() {
        return name;
    }

    /** Adds a file of the data directory to the archive under {@code path}. */
    public void addFile(String path, Path source) {
        try (InputStream in = Files.newInputStream(source)) {
            add(path, in);
        } catch (IOException e) {
            throw failed(e, source);
        }
    }

    /** Adds content to the archive under {@code path}. */
    public void addBytes(String path, byte[] content) {
        try (InputStream in = new java.io.ByteArrayInputStream(content)) {
            add(path, in);
        } catch (IOException e) {
            throw failed(e, null);
        }
    }

    private void add(String path, InputStream in) throws IOException {
        ArchivePaths.check(path);
        zip.putNextEntry(new ZipEntry(path));
        MessageDigest digest = sha256();
        long size = in.transferTo(new DigestOutputStream(new NoClose(zip), digest));
        zip.closeEntry();
        files.add(new BackupManifest.FileEntry(path, HexFormat.of().formatHex(digest.digest()), size, null));
    }

    /**
     * Adds an attachment file as a shared object: copied (encrypted) only when the target does not
     * hold the object yet.
     *
     * @param path       its path in the data directory, e.g. {@code attachments/ab/abcd…}
     * @param source     the file
     * @param objectName the object's keyed name (the same content path gives the same name)
     * @param known      its SHA-256 and size when known from an earlier backup (saves reading it again)
     * @return the manifest entry
     */
    public BackupManifest.FileEntry addAttachment(String path, Path source, String objectName,
            Optional<BackupManifest.FileEntry> known) {
        ArchivePaths.check(path);
        if (!objectName.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("object names are 64 hex digits");
        }
        Path object = target.object(objectName);
        try {
            BackupManifest.FileEntry entry;
            if (Files.isRegularFile(object)) {
                entry = known.filter(k -> k.path().equals(path))
                        .map(k -> new BackupManifest.FileEntry(path, k.sha256(), k.size(), objectName))
                        .orElseGet(() -> hashOf(path, source, objectName));
            } else {
                entry = copyObject(path, source, objectName, object);
                objectsAdded++;
                bytesAdded += Files.size(object);
            }
            attachments.add(entry);
            objects.add(objectName);
            return entry;
        } catch (IOException e) {
            throw failed(e, source);
        } catch (java.io.UncheckedIOException e) {
            throw failed(e.getCause(), source);
        }
    }

    private BackupManifest.FileEntry copyObject(String path, Path source, String objectName, Path object) throws IOException {
        Path temp = target.partial().resolve(objectName + ".part");
        MessageDigest digest = sha256();
        long size;
        try (InputStream in = Files.newInputStream(source);
                OutputStream sealed = BackupEnvelope.encrypt(new BufferedOutputStream(BackupTarget.syncedOutput(temp), 1 << 16),
                        recipient, Map.of("node", target.node(), "kind", "object"))) {
            size = in.transferTo(new DigestOutputStream(sealed, digest));
        }
        BackupTarget.moveIntoPlace(temp, object);
        return new BackupManifest.FileEntry(path, HexFormat.of().formatHex(digest.digest()), size, objectName);
    }

    private static BackupManifest.FileEntry hashOf(String path, Path source, String objectName) {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(source)) {
            long size = in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
            return new BackupManifest.FileEntry(path, HexFormat.of().formatHex(digest.digest()), size, objectName);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Completes the backup: the manifest as the archive's last entry, the archive forced to disk and
     * renamed into place, then its record.
     *
     * @param manifestWithoutFiles the manifest's fields; its file lists are replaced by what was added
     * @return the complete backup
     */
    public Generation finish(BackupManifest manifestWithoutFiles) {
        BackupManifest manifest = new BackupManifest(target.node(), createdAt, manifestWithoutFiles.schemaVersion(),
                manifestWithoutFiles.nodeVersion(), manifestWithoutFiles.withKeys(), manifestWithoutFiles.auditSeq(),
                manifestWithoutFiles.auditHash(), manifestWithoutFiles.rowCounts(), files, attachments);
        try {
            zip.putNextEntry(new ZipEntry(BackupManifest.ENTRY));
            zip.write(manifest.toJson().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.close();
            BackupTarget.moveIntoPlace(partialArchive, target.archive(name));
        } catch (IOException e) {
            throw failed(e, null);
        }
        Generation generation = new Generation(name, target.node(), createdAt, counted.count, objectsAdded, bytesAdded,
                objects, manifest.withKeys(), manifest.schemaVersion(), Optional.empty());
        target.recordComplete(generation);
        finished = true;
        return generation;
    }

    /** Stops a backup that did not finish: what it wrote aside is removed (objects already in place stay, unused). */
    @Override
    public void close() {
        if (!finished) {
            try {
                zip.close();
            } catch (IOException | RuntimeException e) {
                // the archive is incomplete anyway; it is deleted next
            }
            try {
                lock.clearPartial(); // all of it is this backup's: the lock is held
            } catch (ProtocolException e) {
                // the next backup clears partial/ under the lock
            }
        }
    }

    private ProtocolException failed(IOException e, Path source) {
        if (source != null && !Files.exists(source)) {
            return new ProtocolException("backup.source_missing", source.getFileName() + " disappeared while it was backed up", e);
        }
        return target.unwritable(e);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ProtocolException("crypto.unavailable", "SHA-256 unavailable", e);
        }
    }

    /** Keeps the zip stream open when an entry's digest stream is done with. */
    private static final class NoClose extends FilterOutputStream {
        NoClose(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() {
            // the archive goes on
        }
    }

    /** Counts the archive's bytes as they reach the file. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }
}
