package jp.tsunagu.admin;

import java.util.Set;

import jp.tsunagu.federation.ProtocolException;

/** The admin CLI's exit codes, shown in every command's help. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** A signature, agreement, audit log or backup did not verify, or the agreement is not active. */
    public static final int NOT_VERIFIED = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;
    /** An input file was unreadable, malformed or invalid, or an output could not be written. */
    public static final int INPUT = 3;
    /** The node could not be reached or refused the request. */
    public static final int NODE = 4;

    /** Help text listing the codes; picocli puts it under every command. */
    public static final String[] HELP = {
        "Exit codes:",
        "  0  ok",
        "  1  verification failed, agreement not active, audit log broken, or backup not verified",
        "  2  usage error",
        "  3  input or I/O error",
        "  4  node unreachable or request refused, or the node's backup run failed"
    };

    private static final Set<String> VERIFICATION_FAILURES = Set.of(
            "signature_invalid", "signature_missing", "amendment_signatures_missing", "kid_unknown", "kid_mismatch",
            "alg_not_allowed", "header_forbidden", "typ_invalid", "predecessor_hash_mismatch", "predecessor_mismatch",
            "expired", "not_yet_valid", "superseded", "signature_duplicate", "payload_not_canonical", "agreement_mismatch",
            // a backup that does not open or does not match its manifest is a backup not verified
            "key_wrong", "truncated", "tampered", "object_missing", "manifest_invalid", "not_a_backup", "database_corrupt",
            "audit_broken", "row_counts_differ",
            // a backup that does not come up as a working node in a drill
            "node_not_ready", "rows_differ", "audit_behind", "stop_failed");

    private ExitCodes() {
    }

    /**
     * @param e a library failure
     * @return 1 for a failed verification, 3 for bad input
     */
    public static int of(ProtocolException e) {
        String reason = e.code().substring(e.code().indexOf('.') + 1);
        return VERIFICATION_FAILURES.contains(reason) ? NOT_VERIFIED : INPUT;
    }
}
