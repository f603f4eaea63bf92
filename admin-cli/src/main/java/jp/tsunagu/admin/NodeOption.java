package jp.tsunagu.admin;

import java.net.URI;

import picocli.CommandLine.Option;

/** The {@code --node URL} option of commands that talk to a running node. */
public class NodeOption {
    /** The node's admin API base URL. */
    @Option(names = "--node", required = true, paramLabel = "URL",
            description = "The node's admin API, e.g. http://127.0.0.1:9090 (answers on loopback only).")
    public URI node;

    /** @return a client for that node */
    public NodeClient client() {
        return new NodeClient(node);
    }
}
