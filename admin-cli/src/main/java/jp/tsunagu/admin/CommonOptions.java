package jp.tsunagu.admin;

import picocli.CommandLine.Option;

/** Options every leaf command accepts. */
public class CommonOptions {
    /** Print stack traces of failures. */
    @Option(names = "--verbose", description = "Print the stack trace of a failure.")
    public boolean verbose;
}
