package dev.inboxpush.store;

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
}
