package jp.tsunagu.node.identity;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.web.FieldProblems;
import jp.tsunagu.node.web.JsonBodies;

/**
 * Validation of form fields, as its own step before any work: each check either returns the clean
 * value or throws a 400 with a stable code ({@code validation.required}, {@code validation.too_long},
 * {@code validation.malformed}) and a message naming the field in Japanese.
 */
final class Fields {

  static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
  static final Pattern LOGIN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{3,31}");
  static final Pattern KATAKANA = Pattern.compile("[\\u30A1-\\u30FA\\u30FC\\u30FB\\u3000 ]+");
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}]");

  private final JsonObject json;

  private Fields(JsonObject json) {
    this.json = json;
  }

  /** The JSON body of the request; a body that is not a JSON object is malformed. */
  static Fields of(RoutingContext ctx) {
    return new Fields(JsonBodies.required(ctx));
  }

  /** Required text without control characters, trimmed, at most {@code max} characters. */
  String text(String name, String label, int max) {
    Object value = json.getValue(name);
    if (value != null && !(value instanceof String)) {
      throw malformed(label);
    }
    String text = value == null ? "" : ((String) value).strip();
    if (text.isEmpty()) {
      throw CodedException.invalid("validation.required", label + "を入力してください。");
    }
    if (text.codePointCount(0, text.length()) > max) {
      throw CodedException.invalid("validation.too_long", label + "は" + max + "文字以内で入力してください。");
    }
    if (CONTROL.matcher(text).find()) {
      throw malformed(label);
    }
    return text;
  }

  /** Optional text: empty when absent. */
  String optionalText(String name, String label, int max) {
    Object value = json.getValue(name);
    return value == null || (value instanceof String s && s.isBlank()) ? "" : text(name, label, max);
  }

  String matching(String name, String label, int max, Pattern pattern) {
    String text = text(name, label, max);
    if (!pattern.matcher(text).matches()) {
      throw malformed(label);
    }
    return text;
  }

  /** Names in katakana: the refusal says so, not only that the form is wrong. */
  String kana(String name, String label, int max) {
    String text = text(name, label, max);
    if (!KATAKANA.matcher(text).matches()) {
      throw CodedException.invalid("validation.malformed", label + "は全角カタカナで入力してください。");
    }
    return text;
  }

  String oneOf(String name, String label, Collection<String> allowed) {
    String text = text(name, label, 64);
    if (!allowed.contains(text)) {
      throw malformed(label);
    }
    return text;
  }

  /**
   * A new person from a form (login id, e-mail, names in kanji and kana), active, with no password
   * hash yet; the e-mail address is lower-cased. Every field is checked and a refusal kept in
   * {@code problems}; null when one of them was refused (the caller then throws all problems at once).
   */
  User person(FieldProblems problems, Optional<String> facilityId, String profession, Role role) {
    String loginId = problems.check("loginId", () -> matching("loginId", "ログインID", 32, LOGIN_ID));
    String email = problems.check("email", () -> matching("email", "メールアドレス", 254, EMAIL).toLowerCase(Locale.ROOT));
    String familyName = problems.check("familyName", () -> text("familyName", "姓", 40));
    String givenName = problems.check("givenName", () -> text("givenName", "名", 40));
    String familyKana = problems.check("familyKana", () -> kana("familyKana", "姓（カナ）", 40));
    String givenKana = problems.check("givenKana", () -> kana("givenKana", "名（カナ）", 40));
    if (loginId == null || email == null || familyName == null || givenName == null || familyKana == null
        || givenKana == null) {
      return null;
    }
    return new User(Secrets.id(), facilityId, loginId, email, familyName, givenName, familyKana, givenKana,
        profession, role, "", true);
  }

  /** A new password: 10 to 128 characters, not the login id. Never trimmed or echoed. */
  String newPassword(String name, String loginId) {
    Object value = json.getValue(name);
    if (value != null && !(value instanceof String)) {
      throw malformed("パスワード");
    }
    String password = value == null ? "" : (String) value;
    if (password.isEmpty()) {
      throw CodedException.invalid("validation.required", "パスワードを入力してください。");
    }
    if (password.length() > 128) {
      throw CodedException.invalid("validation.too_long", "パスワードは128文字以内で入力してください。");
    }
    if (password.length() < 10 || password.equalsIgnoreCase(loginId)) {
      throw CodedException.invalid("validation.weak_password",
          "パスワードは10文字以上で、ログインIDと異なるものにしてください。");
    }
    return password;
  }

  /** A password to check: present, at most 128 characters. */
  String password(String name) {
    Object value = json.getValue(name);
    if (!(value instanceof String password) || password.isEmpty()) {
      throw CodedException.invalid("validation.required", "パスワードを入力してください。");
    }
    if (password.length() > 128) {
      throw CodedException.invalid("validation.too_long", "パスワードは128文字以内で入力してください。");
    }
    return password;
  }

  private static CodedException malformed(String label) {
    return CodedException.invalid("validation.malformed", label + "の形式が正しくありません。");
  }
}
