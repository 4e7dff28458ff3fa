package io.securetx;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import io.securetx.crypto.IntegrityException;
import io.securetx.task.TaskException;
import java.security.SecureRandom;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of DESIGN.md section 2, checked on the production classes of every module on
 * this module's classpath (core, tasks, app). ArchUnit's default stays on: a rule whose subject
 * matches no class fails, so a renamed package cannot turn a rule into a silent pass.
 */
class ArchitectureTest {

  private static final String[] CORE = {
    "io.securetx", // the exception root
    "io.securetx.transaction..",
    "io.securetx.crypto..",
    "io.securetx.ledger..",
    "io.securetx.vault..",
    "io.securetx.report.."
  };

  private static JavaClasses production;

  /** Test classes of other modules arrive as {@code *-tests.jar} when not built in the reactor. */
  private static final class DoNotIncludeTestJars implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.matches(java.util.regex.Pattern.compile(".*-tests\\.jar.*"));
    }
  }

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .withImportOption(new DoNotIncludeTestJars())
            .importPackages("io.securetx..");
  }

  @Test
  void import_productionClassesOfEveryModule_withoutTests() {
    assertThat(production.contain("io.securetx.app.Main")).isTrue();
    assertThat(production.contain("io.securetx.adapter.sql.SqlLedgerStore")).isTrue();
    assertThat(production.contain("io.securetx.vault.Vault")).isTrue();
    assertThat(production.contain("io.securetx.ingest.Importer")).isTrue();
    assertThat(production.contain("io.securetx.crypto.tink.TinkKeyRing")).isTrue();
    assertThat(production.contain(ArchitectureTest.class)).isFalse();
    assertThat(production.contain("io.securetx.app.TestApplications")).isFalse();
  }

  // --- Tink stays behind our crypto API ----------------------------------------------------------

  @Test
  void tink_onlyCryptoTinkDependsOnIt() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.securetx.crypto.tink..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.google.crypto.tink..")
        .because("io.securetx.crypto.tink is the only package that imports Tink (DESIGN.md 2)")
        .check(production);
  }

  // --- the core ----------------------------------------------------------------------------------

  @Test
  void core_dependsOnNoOuterPackage() {
    noClasses()
        .that()
        .resideInAnyPackage(CORE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.securetx.adapter..",
            "io.securetx.app..",
            "io.securetx.config..",
            "io.securetx.task..")
        .because("the core knows nothing of configuration, adapters, the app or the task queue")
        .check(production);
  }

  @Test
  void core_doesNoNetworkOrDatabaseIo() {
    noClasses()
        .that()
        .resideInAnyPackage(CORE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.net..",
            "javax.net..",
            "java.sql..",
            "javax.sql..",
            "java.rmi..",
            "org.postgresql..",
            "org.sqlite..",
            "com.zaxxer.hikari..",
            "org.flywaydb..")
        .because("the core does no network I/O; storage is reached through the LedgerStore port")
        .check(production);
  }

  // --- the task queue ----------------------------------------------------------------------------

  private static void assumeTaskClasses() {
    assumeTrue(
        production.stream().anyMatch(c -> c.getPackageName().startsWith("io.securetx.task")),
        "securetx-tasks has no classes yet; these rules start checking when it has");
  }

  @Test
  void tasks_knowNothingOfTransactions() {
    assumeTaskClasses();
    noClasses()
        .that()
        .resideInAPackage("io.securetx.task..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.securetx.transaction..",
            "io.securetx.ledger..",
            "io.securetx.vault..",
            "io.securetx.crypto..")
        .because("securetx-tasks could be published alone as \"Celery for Java\"")
        .check(production);
  }

  @Test
  void tasks_dependOnNoOtherSecuretxPackage() {
    assumeTaskClasses();
    noClasses()
        .that()
        .resideInAPackage("io.securetx.task..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.securetx..").and(not(resideInAPackage("io.securetx.task.."))))
        .because("securetx-tasks could be published alone as \"Celery for Java\"")
        .check(production);
  }

  // --- adapters and the composition root ---------------------------------------------------------

  @Test
  void adapters_doNotDependOnEachOther() {
    slices()
        .matching("io.securetx.adapter.(*)..")
        .should()
        .notDependOnEachOther()
        .because("adapters never import each other; only io.securetx.app wires them (DESIGN.md 2)")
        .check(production);
  }

  @Test
  void sqlAdapter_onlyUsedByTheCompositionRoot() {
    classes()
        .that()
        .resideInAPackage("io.securetx.adapter.sql..")
        .should()
        .onlyHaveDependentClassesThat()
        .resideInAnyPackage("io.securetx.adapter.sql..", "io.securetx.app..")
        .check(production);
  }

  @Test
  void adapters_onlyUsedByTheCompositionRootOrThemselves() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.securetx.adapter..", "io.securetx.app..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.securetx.adapter..")
        .because("only io.securetx.app wires adapters together")
        .check(production);
  }

  @Test
  void compositionRoot_dependedOnByNobody() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.securetx.app..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.securetx.app..")
        .because("io.securetx.app is the composition root: it depends on everything, not back")
        .check(production);
  }

  @Test
  void ingest_usesOnlyTheCore() {
    noClasses()
        .that()
        .resideInAPackage("io.securetx.ingest..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.securetx.adapter..",
            "io.securetx.app..",
            "io.securetx.config..",
            "io.securetx.task..")
        .because(
            "bulk ingestion turns files into requests for the vault; the CLI and the task handler"
                + " use it, it uses neither")
        .check(production);
  }

  // --- names -------------------------------------------------------------------------------------

  @Test
  void names_noImplClasses() {
    noClasses().should().haveSimpleNameEndingWith("Impl").check(production);
  }

  @Test
  void names_noUtilsClasses() {
    noClasses().should().haveSimpleNameEndingWith("Utils").check(production);
  }

  @Test
  void names_noHungarianInterfaces() {
    noClasses()
        .that()
        .areInterfaces()
        .should()
        .haveNameMatching(".*[.$]I[A-Z][^.$]*")
        .because("ports are role nouns (LedgerStore, Broker), never IThing")
        .check(production);
  }

  // --- randomness and global state ---------------------------------------------------------------

  @Test
  void randomness_noJavaUtilRandomFields() {
    noFields()
        .that()
        .areDeclaredInClassesThat()
        .resideInAPackage("io.securetx..")
        .should()
        .haveRawType(Random.class)
        .because("ids and keys need SecureRandom")
        .check(production);
  }

  @Test
  void randomness_onlySecureRandom() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(Random.class, ThreadLocalRandom.class, SplittableRandom.class)
        .orShould()
        .callMethod(Math.class, "random")
        .because("every random value in securetx may be security-relevant; use SecureRandom")
        .check(production);
  }

  @Test
  void randomness_secureRandomIsActuallyUsed() {
    // Guards the rule above against passing because nothing draws random numbers at all.
    assertThat(production.get("io.securetx.vault.Vault").getDirectDependenciesFromSelf())
        .anySatisfy(
            d -> assertThat(d.getTargetClass().isEquivalentTo(SecureRandom.class)).isTrue());
  }

  @Test
  void staticFields_areFinal() {
    fields()
        .that()
        .areStatic()
        .and()
        .areDeclaredInClassesThat()
        .resideInAPackage("io.securetx..")
        .should()
        .beFinal()
        .because("no global singletons or static mutable configuration (DESIGN.md 2)")
        .check(production);
  }

  // --- exceptions --------------------------------------------------------------------------------

  @Test
  void exceptions_uncheckedOnesExtendSecureTxException() {
    classes()
        .that()
        .areAssignableTo(RuntimeException.class)
        .and()
        .resideOutsideOfPackage("io.securetx.task..")
        .should()
        .beAssignableTo(SecureTxException.class)
        .because("one unchecked root, so a caller can catch anything from securetx in one place")
        .check(production);
  }

  @Test
  void exceptions_taskModuleHasItsOwnRoot() {
    classes()
        .that()
        .areAssignableTo(RuntimeException.class)
        .and()
        .resideInAPackage("io.securetx.task..")
        .should()
        .beAssignableTo(TaskException.class)
        .because(
            "securetx-tasks can be published alone (\"Celery for Java\"), so it cannot use the"
                + " core's SecureTxException; TaskException is its one unchecked root")
        .check(production);
  }

  @Test
  void exceptions_checkedOnesAreIntegrityFailures() {
    classes()
        .that()
        .areAssignableTo(Exception.class)
        .and()
        .areNotAssignableTo(RuntimeException.class)
        .should()
        .beAssignableTo(IntegrityException.class)
        .because("only integrity failures are checked: a caller must decide what tampering means")
        .check(production);
  }
}
