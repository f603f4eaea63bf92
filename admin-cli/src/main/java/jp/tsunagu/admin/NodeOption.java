package jp.tsunagu.admin;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/** The {@code --node URL} and {@code --token-file FILE} options of commands that talk to a running node. */
public class NodeOption {
    /** The node's admin API base URL. */
    @Option(names = "--node", required = true, paramLabel = "URL",
            description = "The node's admin API, e.g. http://127.0.0.1:9080 (answers on loopback only).")
    public URI node;

    /** The file holding the node's operator token. */
    @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "${env:TSUNAGU_ADMIN_TOKEN_FILE}",
            description = "The node's operator token: the file admin-token in the node's data directory, readable by "
                    + "the node's own account only (run this command as that account). "
                    + "Default: the environment variable TSUNAGU_ADMIN_TOKEN_FILE.")
    public Path tokenFile;

    /** @return a client for that node, carrying the operator token */
    public NodeClient client() {
        return new NodeClient(node, token());
    }

    private String token() {
        if (tokenFile == null) {
            throw new CliException(ExitCodes.USAGE, "the node's admin API needs its operator token: give --token-file "
                    + "DATADIR/admin-token (or set TSUNAGU_ADMIN_TOKEN_FILE)");
        }
        try {
            String token = Files.readString(tokenFile, StandardCharsets.US_ASCII).trim();
            if (token.isEmpty() || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new CliException(ExitCodes.INPUT, tokenFile + " holds no operator token");
            }
            return token;
        } catch (IOException e) {
            throw new CliException(ExitCodes.INPUT, "cannot read the operator token " + tokenFile
                    + " (it is readable by the node's own account only): " + e.getClass().getSimpleName(), e);
        }
    }
}
