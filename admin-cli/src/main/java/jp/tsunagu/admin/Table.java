package jp.tsunagu.admin;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table with columns padded to their widest cell (East Asian wide characters count double). */
public final class Table {
    private final List<String[]> rows = new ArrayList<>();

    /** @param headings column headings */
    public Table(String... headings) {
        rows.add(headings);
    }

    /**
     * @param cells one row
     * @return this table
     */
    public Table row(Object... cells) {
        String[] text = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            text[i] = String.valueOf(cells[i]);
        }
        rows.add(text);
        return this;
    }

    /** @param out where to print */
    public void print(PrintWriter out) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], width(row[i]));
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(row[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - width(row[i]) + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    private static int width(String s) {
        return s.codePoints().map(c -> c >= 0x1100 && Character.UnicodeScript.of(c) != Character.UnicodeScript.LATIN ? 2 : 1).sum();
    }
}
