package jp.tsunagu.node.web;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import jp.tsunagu.node.errors.CodedException;

/**
 * Runs every field's check of a form instead of stopping at the first refusal: each check either
 * gives its clean value or its {@link CodedException} is kept against the field, and
 * {@link #throwIfAny()} then refuses the form with all of them ({@link InvalidFields}).
 */
public final class FieldProblems {

  private final List<InvalidFields.Problem> problems = new ArrayList<>();

  /** The value of {@code check}, or null when it refused (the refusal is kept for {@code field}). */
  public <T> T check(String field, Supplier<T> check) {
    try {
      return check.get();
    } catch (InvalidFields many) {
      problems.addAll(many.problems());
      return null;
    } catch (CodedException e) {
      add(field, e);
      return null;
    }
  }

  public void add(String field, CodedException e) {
    problems.add(new InvalidFields.Problem(field, e.code(), e.getMessage()));
  }

  /** Whether a field already has a problem (later cross-field checks skip it). */
  public boolean has(String field) {
    return problems.stream().anyMatch(p -> p.field().equals(field));
  }

  public void throwIfAny() {
    if (!problems.isEmpty()) {
      throw new InvalidFields(problems);
    }
  }
}
