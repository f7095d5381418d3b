package dev.inboxpush.store;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.inboxpush.testsupport.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The rules of docs/architecture.md that concern the store. */
class ArchitectureTests {

  private static final JavaClasses STORE =
      ArchitectureRules.productionClasses("dev.inboxpush.store");

  @Test
  void theStoreIsFreeOfSpring() {
    ArchitectureRules.noDependencyOn(
            "dev.inboxpush.store..",
            "the store is a plain library both services open; Spring wiring stays in the services",
            "org.springframework..")
        .check(STORE);
  }

  @Test
  void theStoreApiShowsNoAwsType() {
    ArchitectureRules.noDependencyOn(
            "dev.inboxpush.store",
            "callers see the store's interfaces and values; the AWS SDK stays in store.dynamo",
            "software.amazon..")
        .check(STORE);
  }

  @Test
  void theStoreKnowsNeitherService() {
    noClasses()
        .that()
        .resideInAPackage("dev.inboxpush.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.inboxpush.listener..", "dev.inboxpush.registration..")
        .because("the store serves both services and depends on neither")
        .check(STORE);
  }
}
