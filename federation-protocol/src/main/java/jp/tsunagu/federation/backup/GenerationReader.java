package jp.tsunagu.federation.backup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

import jp.tsunagu.federation.ProtocolException;

/**
 * Opens one backup with the operator's key and writes its files into a directory, checking each
 * against the manifest: every file's SHA-256 and length, nothing missing, nothing extra, every
 * attachment object present and intact. A backup that fails any check fails with its own code, and
 * whatever was written is the caller's to delete.
 */
public final class GenerationReader {
    private GenerationReader() {
    }

    /** A step of the work, for progress lines: what is being read, and how many of how many. */
    public record Progress(String what, long done, long total) {
    }

    /**
     * Extracts a backup into {@code into} (which must exist and be empty).
     *
     * @return the backup's manifest, checked
     * @throws ProtocolException {@code backup.not_found}, {@code backup.key_wrong}, {@code backup.truncated},
     *     {@code backup.tampered}, {@code backup.manifest_invalid}, {@code backup.object_missing},
     *     {@code backup.target_unreadable}
     */
    public static BackupManifest extract(BackupTarget target, Generation generation, BackupKey key, Path into,
            Consumer<Progress> progress) {
        Map<String, BackupManifest.FileEntry> found = new HashMap<>();
        BackupManifest manifest = null;
        checkLength(target.archive(generation.name()), generation);
        try (InputStream file = new BufferedInputStream(Files.newInputStream(target.archive(generation.name())), 1 << 16)) {
            BackupEnvelope.Opened opened = BackupEnvelope.open(file, key);
            if (!target.node().equals(opened.about().get("node"))) {
                throw new ProtocolException("backup.tampered", "the archive says it is of node " + opened.about().get("node"));
            }
            try (ZipInputStream zip = new ZipInputStream(opened.payload())) {
                for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                    if (manifest != null) {
                        throw new ProtocolException("backup.tampered", "the archive holds files after its manifest");
                    }
                    String path = ArchivePaths.check(entry.getName());
                    if (path.equals(BackupManifest.ENTRY)) {
                        manifest = BackupManifest.parse(new String(zip.readAllBytes(), StandardCharsets.UTF_8));
                    } else {
                        progress.accept(new Progress(path, found.size(), -1));
                        found.put(path, write(zip, into.resolve(path), path, null));
                    }
                }
                BackupEnvelope.drain(opened.payload());
            }
        } catch (NoSuchFileException e) {
            throw new ProtocolException("backup.not_found", "the archive of " + generation.name() + " is missing", e);
        } catch (ZipException e) {
            throw new ProtocolException("backup.tampered", "the archive's content is damaged: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ProtocolException("backup.target_unreadable", "cannot read " + generation.name() + ": " + e.getMessage(), e);
        }
        if (manifest == null) {
            throw new ProtocolException("backup.truncated", "the archive ends before its manifest");
        }
        checkAgainst(manifest, generation, found);
        long done = 0;
        for (BackupManifest.FileEntry attachment : manifest.attachments()) {
            progress.accept(new Progress("attachments", done++, manifest.attachments().size()));
            extractObject(target, key, attachment, into);
        }
        progress.accept(new Progress("attachments", done, manifest.attachments().size()));
        return manifest;
    }

    /**
     * A file cut short inside its last chunk reads like a chunk altered (neither opens), so the
     * archive's length is compared with its record's first: shorter is {@code backup.truncated}.
     */
    private static void checkLength(Path archive, Generation generation) {
        try {
            long length = Files.size(archive);
            if (length < generation.archiveBytes()) {
                throw new ProtocolException("backup.truncated", "the archive of " + generation.name() + " holds " + length
                        + " bytes, its record says " + generation.archiveBytes() + ": it was cut short while written or copied");
            }
            if (length > generation.archiveBytes()) {
                throw new ProtocolException("backup.tampered", "the archive of " + generation.name() + " holds " + length
                        + " bytes, its record says " + generation.archiveBytes());
            }
        } catch (NoSuchFileException e) {
            throw new ProtocolException("backup.not_found", "the archive of " + generation.name() + " is missing", e);
        } catch (IOException e) {
            throw new ProtocolException("backup.target_unreadable", "cannot read " + generation.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * An object's encrypted length follows from its content's (in the manifest): its header line,
     * then the content in chunks of {@link BackupEnvelope#CHUNK} bytes (at least one), each with a
     * 16-byte tag. An object shorter than that which fails to open was cut short, not altered.
     */
    private static boolean cutShort(Path object, long contentSize) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(object))) {
            long header = 0;
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    return true;
                }
                header++;
            }
            long chunks = Math.max(1, (contentSize + BackupEnvelope.CHUNK - 1) / BackupEnvelope.CHUNK);
            return Files.size(object) < header + 1 + contentSize + 16 * chunks;
        } catch (IOException e) {
            return false;
        }
    }

    private static void checkAgainst(BackupManifest manifest, Generation generation, Map<String, BackupManifest.FileEntry> found) {
        if (!manifest.node().equals(generation.node()) || !manifest.createdAt().equals(generation.createdAt())) {
            throw new ProtocolException("backup.tampered", "the manifest is of " + manifest.node() + " at " + manifest.createdAt()
                    + ", not of the backup " + generation.name());
        }
        for (BackupManifest.FileEntry listed : manifest.files()) {
            BackupManifest.FileEntry actual = found.remove(listed.path());
            if (actual == null) {
                throw new ProtocolException("backup.tampered", "the manifest lists " + listed.path() + " but the archive lacks it");
            }
            if (!actual.sha256().equals(listed.sha256()) || actual.size() != listed.size()) {
                throw new ProtocolException("backup.tampered", listed.path() + " does not match its SHA-256 in the manifest");
            }
        }
        if (!found.isEmpty()) {
            throw new ProtocolException("backup.tampered", "the archive holds files its manifest does not list: " + found.keySet());
        }
        for (BackupManifest.FileEntry attachment : manifest.attachments()) {
            if (attachment.object() == null || !generation.objects().contains(attachment.object())) {
                throw new ProtocolException("backup.tampered", attachment.path() + " names an object the backup's record does not");
            }
        }
    }

    private static void extractObject(BackupTarget target, BackupKey key, BackupManifest.FileEntry attachment, Path into) {
        ArchivePaths.check(attachment.path());
        try (InputStream file = new BufferedInputStream(Files.newInputStream(target.object(attachment.object())), 1 << 16)) {
            BackupEnvelope.Opened opened = BackupEnvelope.open(file, key);
            try (InputStream payload = opened.payload()) {
                write(payload, into.resolve(attachment.path()), attachment.path(), attachment);
            }
        } catch (ProtocolException e) {
            Path object = target.object(attachment.object());
            if (e.code().equals("backup.tampered") && cutShort(object, attachment.size())) {
                throw new ProtocolException("backup.truncated", "the object holding " + attachment.path()
                        + " is shorter than its content needs: it was cut short while written or copied", e);
            }
            throw e;
        } catch (NoSuchFileException e) {
            throw new ProtocolException("backup.object_missing", "the object holding " + attachment.path()
                    + " is missing from the target", e);
        } catch (IOException e) {
            throw new ProtocolException("backup.target_unreadable", "cannot read the object of " + attachment.path() + ": "
                    + e.getMessage(), e);
        }
    }

    private static BackupManifest.FileEntry write(InputStream in, Path file, String path, BackupManifest.FileEntry expected)
            throws IOException {
        Files.createDirectories(file.getParent());
        MessageDigest digest = sha256();
        long size;
        try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.CREATE_NEW)) {
            size = in.transferTo(new DigestOutputStream(out, digest));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new ProtocolException("backup.tampered", "the backup holds " + path + " twice", e);
        }
        String hash = HexFormat.of().formatHex(digest.digest());
        if (expected != null && (!hash.equals(expected.sha256()) || size != expected.size())) {
            throw new ProtocolException("backup.tampered", path + " does not match its SHA-256 in the manifest");
        }
        return new BackupManifest.FileEntry(path, hash, size, null);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ProtocolException("crypto.unavailable", "SHA-256 unavailable", e);
        }
    }
}
