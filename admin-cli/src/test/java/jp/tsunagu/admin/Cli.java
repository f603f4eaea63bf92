package jp.tsunagu.admin;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the admin CLI in-process and captures what it prints. */
final class Cli {
    record Result(int exitCode, String out, String err) {
    }

    private Cli() {
    }

    static Result run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] text = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            text[i] = String.valueOf(args[i]);
        }
        int exitCode = AdminMain.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(text);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
