package dev.inboxpush.testsupport.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;

/**
 * Rules more than one module checks, and the import of a module's production classes. Each method
 * returns one rule; a module's {@code ArchitectureTests} checks each in a test of its own, so that
 * a failure names the rule broken.
 */
public final class ArchitectureRules {

  private ArchitectureRules() {}

  /** The production classes (no test classes) under {@code rootPackage}, from the class path. */
  public static JavaClasses productionClasses(String rootPackage) {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages(rootPackage);
  }

  /**
   * The feature packages directly under {@code rootPackage} do not depend on each other in a cycle.
   */
  public static ArchRule featurePackagesFreeOfCycles(String rootPackage) {
    return slices()
        .matching(rootPackage + ".(*)..")
        .should()
        .beFreeOfCycles()
        .because("a feature package that needs another is layered above it, never beside it");
  }

  /**
   * A service uses, of our own code, only itself, the shared model, the store and the public
   * server's guard of the shared auto-configuration: the two services share nothing else, so that
   * either can be deployed, changed and scaled alone.
   */
  public static ArchRule serviceSharesOnlyModelStoreAndConfiguration(String servicePackage) {
    return noClasses()
        .that()
        .resideInAPackage(servicePackage + "..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.inboxpush..")
                .and(
                    not(
                        resideInAnyPackage(
                            servicePackage + "..",
                            "dev.inboxpush.model..",
                            "dev.inboxpush.store..",
                            "dev.inboxpush.autoconfigure.guard.."))))
        .because(
            "the services share only the model, the store and the public server's guard (whose"
                + " refusal each renders at its error edge); the rest of the shared configuration"
                + " reaches them through Spring Boot");
  }

  /** {@code packages} never reach the given vendor SDK packages. */
  public static ArchRule noDependencyOn(String packages, String why, String... vendorPackages) {
    return noClasses()
        .that()
        .resideInAPackage(packages)
        .should()
        .dependOnClassesThat(resideInAnyPackage(vendorPackages))
        .because(why);
  }

  /**
   * A call of, or a method reference to, one of {@code methods} on a subtype of {@code owner}: use
   * with {@code accessTargetWhere}, which sees both ({@code callMethodWhere} misses {@code
   * flatMap(dispatcher::dispatch)}).
   */
  public static DescribedPredicate<JavaAccess<?>> accessOf(Class<?> owner, Set<String> methods) {
    return DescribedPredicate.describe(
        owner.getSimpleName() + "." + methods,
        access ->
            access.getTargetOwner().isAssignableTo(owner) && methods.contains(access.getName()));
  }
}
