package jp.tsunagu.federation.backup;

import jp.tsunagu.federation.ProtocolException;

/**
 * The paths a backup may name: relative, forward slashes, no {@code .} or {@code ..} parts, a small
 * alphabet. A restore writes only such paths, so an archive can never reach outside the directory it
 * is restored into.
 */
final class ArchivePaths {
    private ArchivePaths() {
    }

    static String check(String path) {
        if (path == null || path.isEmpty() || path.length() > 300 || path.startsWith("/")
                || !path.matches("[A-Za-z0-9._/-]+")) {
            throw new ProtocolException("backup.tampered", "the backup names a file path it may not: " + path);
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new ProtocolException("backup.tampered", "the backup names a file path it may not: " + path);
            }
        }
        return path;
    }
}
