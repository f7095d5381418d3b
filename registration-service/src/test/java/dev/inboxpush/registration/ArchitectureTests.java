package dev.inboxpush.registration;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.inboxpush.testsupport.architecture.ArchitectureRules.accessOf;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.testsupport.architecture.ArchitectureRules;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** The rules of docs/architecture.md that concern the registration service, one test each. */
class ArchitectureTests {

  private static final String ROOT = "dev.inboxpush.registration";
  private static final JavaClasses REGISTRATION = ArchitectureRules.productionClasses(ROOT);

  @Test
  void featurePackagesAreFreeOfCycles() {
    ArchitectureRules.featurePackagesFreeOfCycles(ROOT).check(REGISTRATION);
  }

  @Test
  void theRegistrationServiceSharesOnlyTheModelTheStoreAndTheSharedConfiguration() {
    ArchitectureRules.serviceSharesOnlyModelStoreAndConfiguration(ROOT).check(REGISTRATION);
  }

  @Test
  void problemDetailsDependOnNoOtherPackageOfTheService() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".problem..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ROOT + ".api..", ROOT + ".security..", ROOT + ".ratelimit..")
        .because("every package may refuse a request; the error edge sits below them all")
        .check(REGISTRATION);
  }

  @Test
  void onlyTheProblemPackageBuildsProblemDetails() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + ".problem..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.springframework.http.ProblemDetail")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(org.springframework.web.ErrorResponse.class)
        .orShould()
        .accessField(MediaType.class, "APPLICATION_PROBLEM_JSON")
        .orShould()
        .accessField(MediaType.class, "APPLICATION_PROBLEM_JSON_VALUE")
        .because("one package owns the problem types, their URIs and how they are counted")
        .check(REGISTRATION);
  }

  @Test
  void theRegistrationServiceWritesNoListenerState() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + "..")
        .should()
        .accessTargetWhere(
            accessOf(
                ListenerStateStore.class,
                Set.of(
                    "touchLastSeen",
                    "update",
                    "setPending",
                    "clearPending",
                    "reschedulePending",
                    "delete")))
        .because(
            "listener-state items are written only by listeners, so that writers in two regions"
                + " never undo each other under last-writer-wins")
        .check(REGISTRATION);
  }
}
