package jp.tsunagu.admin;

import java.io.PrintWriter;

import jp.tsunagu.federation.ProtocolException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The CLI's one exception handler: prints {@code error: <message>} (with the library's stable code
 * first, when there is one), the stack trace only with {@code --verbose}, and maps the failure to an
 * exit code.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult fullParseResult) {
        PrintWriter err = commandLine.getErr();
        int exitCode;
        if (ex instanceof ProtocolException p) {
            err.println("error: " + p.code() + ": " + p.getMessage());
            exitCode = ExitCodes.of(p);
        } else if (ex instanceof CliException c) {
            err.println("error: " + c.getMessage());
            exitCode = c.exitCode();
        } else {
            err.println("error: " + ex);
            exitCode = ExitCodes.INPUT;
        }
        if (verbose(fullParseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return exitCode;
    }

    private static boolean verbose(ParseResult result) {
        ParseResult leaf = result;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        return leaf.hasMatchedOption("--verbose");
    }
}
