package dev.inboxpush.simulator;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import dev.inboxpush.testsupport.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The simulator's package rules. */
class ArchitectureTests {

  private static final JavaClasses SIMULATOR =
      ArchitectureRules.productionClasses("dev.inboxpush.simulator");

  @Test
  void theSimulatorUsesNoServiceCode() {
    noClasses()
        .that()
        .resideInAPackage("dev.inboxpush.simulator..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.inboxpush..")
                .and(DescribedPredicate.not(resideInAnyPackage("dev.inboxpush.simulator.."))))
        .because("it meets the system over its public APIs only, as Exchange and the apps do")
        .check(SIMULATOR);
  }

  @Test
  void theCommandLineLibraryStaysInMain() {
    noClasses()
        .that()
        .resideInAPackage("dev.inboxpush.simulator..")
        .and(
            DescribedPredicate.describe(
                "are not Main", c -> !c.getName().startsWith(Main.class.getName())))
        .should()
        .dependOnClassesThat(resideInAPackage("picocli.."))
        .because("the simulator is a library that tests and the fault suite run")
        .check(SIMULATOR);
  }

  @Test
  void theCheckKnowsNothingOfHowTrafficWasMade() {
    noClasses()
        .that()
        .resideInAPackage("dev.inboxpush.simulator.check..")
        .should()
        .dependOnClassesThat(
            resideInAnyPackage(
                "dev.inboxpush.simulator.exchange..", "dev.inboxpush.simulator.registration.."))
        .because("the badge check is a function of expectations and received pushes")
        .check(SIMULATOR);
  }

  @Test
  void theEwsBytesUseTheJdkOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.inboxpush.simulator.ews..")
        .should()
        .dependOnClassesThat(
            DescribedPredicate.not(
                resideInAnyPackage("java..", "org.jspecify..", "dev.inboxpush.simulator.ews..")))
        .check(SIMULATOR);
  }
}
