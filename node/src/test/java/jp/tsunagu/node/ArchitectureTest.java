package jp.tsunagu.node;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.web.RouteSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The walls of the house, as tests: what may import what, and that no node state hides in a static
 * field. A failure names the class and the dependency that broke the wall.
 */
class ArchitectureTest {

  /** The features: each owns its SQL and its routes; others use only the services it publishes. */
  private static final List<String> FEATURES = List.of("identity", "care", "resources", "federation", "teamsync",
      "disaster", "emergency", "sensors", "vaccination", "meetings", "family", "reports", "review");

  private static JavaClasses node;
  private static JavaClasses protocol;

  @BeforeAll
  static void importClasses() {
    ClassFileImporter importer = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS);
    node = importer.importPackages("jp.tsunagu.node");
    protocol = importer.importPackages("jp.tsunagu.federation");
  }

  /**
   * The protocol is a plain Java library every implementation (and the admin CLI) can use: no
   * Vert.x, and nothing of the node.
   */
  @Test
  void the_federation_protocol_imports_no_vertx_and_no_node_code() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..", "jp.tsunagu.node..")
        .because("federation-protocol is a plain library shared with other implementations")
        .check(protocol);
  }

  /**
   * A feature's tables and routes are its own: another feature goes through what it publishes (for
   * care, {@code TeamData}, {@code PatientAccess}, {@code TeamReplication}), so a feature's storage can
   * change without breaking its neighbours.
   */
  @Test
  void features_do_not_use_each_others_sql_or_route_classes() {
    for (String feature : FEATURES) {
      String inside = "jp.tsunagu.node." + feature + "..";
      noClasses().that().resideOutsideOfPackage(inside)
          .should().dependOnClassesThat(sqlOrRoutesOf(inside))
          .because(feature + "'s SQL and routes are its own")
          .check(node);
    }
  }

  /** The shared web machinery serves every feature and knows none of them. */
  @Test
  void web_imports_no_feature() {
    noClasses().that().resideInAPackage("jp.tsunagu.node.web..")
        .should().dependOnClassesThat().resideInAnyPackage(FEATURES.stream()
            .map(feature -> "jp.tsunagu.node." + feature + "..").toArray(String[]::new))
        .check(node);
  }

  /** The layers features build on (storage, audit, config, keys, …) import no feature either. */
  @Test
  void the_foundations_import_no_feature() {
    noClasses().that().resideInAnyPackage("jp.tsunagu.node.storage..", "jp.tsunagu.node.audit..",
            "jp.tsunagu.node.config..", "jp.tsunagu.node.keys..", "jp.tsunagu.node.csv..", "jp.tsunagu.node.pdf..",
            "jp.tsunagu.node.feature..", "jp.tsunagu.node.logging..", "jp.tsunagu.node.reference..",
            "jp.tsunagu.node.cluster..")
        .should().dependOnClassesThat().resideInAnyPackage(FEATURES.stream()
            .map(feature -> "jp.tsunagu.node." + feature + "..").toArray(String[]::new))
        .check(node);
  }

  /** Care keeps the local domain: it knows nothing of partners' wire, sync or federation. */
  @Test
  void care_does_not_know_about_replication_or_federation() {
    noClasses().that().resideInAPackage("jp.tsunagu.node.care..")
        .should().dependOnClassesThat().resideInAnyPackage("jp.tsunagu.node.teamsync..",
            "jp.tsunagu.node.federation..")
        .check(node);
  }

  /**
   * No per-node state in a static field: two nodes in one JVM must share nothing. A static field
   * is final, and when it holds a collection or a map, what it holds cannot be changed.
   */
  @Test
  void no_static_mutable_state_in_node_main_code() {
    fields().that().areStatic().and().areDeclaredInClassesThat().resideInAPackage("jp.tsunagu.node..")
        .and(notCompilerMade())
        .should().beFinal()
        .check(node);
    fields().that().areStatic().and().areDeclaredInClassesThat().resideInAPackage("jp.tsunagu.node..")
        .and(notCompilerMade())
        .should(holdNothingThatChanges())
        .check(node);
  }

  private static DescribedPredicate<JavaClass> sqlOrRoutesOf(String featurePackage) {
    return DescribedPredicate.describe("SQL or route classes of " + featurePackage, type ->
        type.getPackageName().startsWith(featurePackage.substring(0, featurePackage.length() - 2))
            && (type.getSimpleName().endsWith("Sql") || type.getSimpleName().endsWith("Routes")
                || type.isAssignableTo(RouteSet.class)));
  }

  private static DescribedPredicate<JavaField> notCompilerMade() {
    return DescribedPredicate.describe("not made by the compiler", field ->
        !field.getModifiers().contains(JavaModifier.SYNTHETIC) && !field.getName().startsWith("$"));
  }

  /**
   * The runtime value of a static final field is immutable: no map or collection that code could
   * change, no atomic, buffer or thread-local. Reading it initialises the class, as the node itself
   * would. Constant arrays (byte patterns, an alphabet, a font read once) are let through: they hold
   * no node's state, and writing into one would be a bug any review sees.
   */
  private static ArchCondition<JavaField> holdNothingThatChanges() {
    return new ArchCondition<>("hold nothing that changes") {
      @Override
      public void check(JavaField field, ConditionEvents events) {
        String problem = problem(field);
        if (problem != null) {
          events.add(SimpleConditionEvent.violated(field, field.getFullName() + " " + problem));
        }
      }
    };
  }

  private static String problem(JavaField javaField) {
    String type = javaField.getRawType().getName();
    if (type.startsWith("java.util.concurrent.atomic.") || type.equals(StringBuilder.class.getName())
        || type.equals(ThreadLocal.class.getName())) {
      return "is a " + type;
    }
    boolean container = javaField.getRawType().isAssignableTo(Map.class)
        || javaField.getRawType().isAssignableTo(Collection.class);
    if (!container) {
      return null;
    }
    try {
      Field field = javaField.reflect();
      field.setAccessible(true);
      Object value = field.get(null);
      if (value == null) {
        return null;
      }
      String held = value.getClass().getName();
      boolean immutable = held.startsWith("java.util.ImmutableCollections$")
          || held.startsWith("java.util.Collections$Unmodifiable") || held.startsWith("java.util.Collections$Empty")
          || held.startsWith("java.util.Collections$Singleton");
      return immutable ? null : "holds a " + held + " that can be changed";
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return "could not be read (" + e + ")";
    }
  }
}
