package jp.tsunagu.node.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.TemplateOutput;
import gg.jte.html.OwaspHtmlTemplateOutput;
import gg.jte.output.StringOutput;
import gg.jte.runtime.StringUtils;

/**
 * The node's server-rendered pages: jte templates under {@code src/main/jte}, turned into Java
 * classes when the node is built (a template directory becomes the package of that name under
 * {@code jp.tsunagu.node}, so {@code resources/search.jte} reads the resources feature's own types).
 * Nothing is parsed or compiled at run time, and a template that does not fit its model fails the
 * build. Every {@code ${...}} is escaped for where it stands; {@code $unsafe{...}} is kept for HTML
 * made by another template and for JSON-LD that is escaped for a script element already.
 *
 * <p>The engine only finds the generated classes by name and holds no state of ours, so one per
 * node process serves every feature, as a {@code static final} pattern or formatter would.
 */
public final class Templates {

  private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(null, ContentType.Html,
      Templates.class.getClassLoader(), "jp.tsunagu.node");

  private Templates() {}

  /**
   * @param template the template's path under {@code src/main/jte}, e.g. {@code "resources/search.jte"}
   * @param model its one parameter
   */
  public static String render(String template, Object model) {
    return render(template, model, 16_384);
  }

  /** The same, for output of about {@code expectedLength} characters (a fragment rather than a page). */
  public static String render(String template, Object model, int expectedLength) {
    StringOutput out = new StringOutput(expectedLength);
    ENGINE.render(template, model, new PageOutput(out));
    return out.toString();
  }

  /**
   * jte's context-aware escaping (script blocks, event handler attributes and {@code javascript:}
   * links as jte's OWASP rules treat them), except that text and ordinary attribute values escape the
   * five characters {@code < > & " '} in both places, as the node's pages always have: a quote in
   * text is harmless, but escaped values stay exactly what they were (tests and scripts read them).
   */
  private static final class PageOutput extends OwaspHtmlTemplateOutput {
    private final TemplateOutput out;
    private String tag;
    private String attribute;

    PageOutput(TemplateOutput out) {
      super(out);
      this.out = out;
    }

    @Override
    public void setContext(String tagName, String attributeName) {
      super.setContext(tagName, attributeName);
      this.tag = tagName;
      this.attribute = attributeName;
    }

    @Override
    public void writeUserContent(String value) {
      boolean jteRules = value == null || attribute == null && "script".equals(tag)
          || attribute != null && attribute.startsWith("on")
          || "a".equals(tag) && "href".equals(attribute) && StringUtils.startsWithIgnoringCaseAndWhitespaces(value,
              "javascript:");
      if (jteRules) {
        super.writeUserContent(value);
      } else {
        escape(value);
      }
    }

    private void escape(String value) {
      int from = 0;
      for (int i = 0; i < value.length(); i++) {
        String entity = switch (value.charAt(i)) {
          case '<' -> "&lt;";
          case '>' -> "&gt;";
          case '&' -> "&amp;";
          case '"' -> "&quot;";
          case '\'' -> "&#39;";
          default -> null;
        };
        if (entity != null) {
          out.writeContent(value, from, i);
          out.writeContent(entity);
          from = i + 1;
        }
      }
      if (from == 0) {
        out.writeContent(value);
      } else if (from < value.length()) {
        out.writeContent(value, from, value.length());
      }
    }
  }
}
