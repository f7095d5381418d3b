package dev.inboxpush.doctor;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import dev.inboxpush.testsupport.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The doctor's package rules: vendor SDKs behind the feature's own interfaces. */
class ArchitectureTests {

  private static final JavaClasses DOCTOR =
      ArchitectureRules.productionClasses("dev.inboxpush.doctor");

  @Test
  void ewsJavaApiAndItsHttpClientStayInTheEwsPackage() {
    ArchitectureRules.noDependencyOn(
            "dev.inboxpush.doctor",
            "the doctor sees Ews, EwsResult and TlsCheck; ews-java-api and Apache HttpClient stay in"
                + " doctor.ews",
            "microsoft.exchange..",
            "org.apache.http..")
        .check(DOCTOR);
    ArchitectureRules.noDependencyOn(
            "dev.inboxpush.doctor.registration..",
            "the registration API client speaks HTTP, not EWS",
            "microsoft.exchange..",
            "org.apache.http..")
        .check(DOCTOR);
  }

  @Test
  void theCommandLineLibraryStaysInMain() {
    noClasses()
        .that()
        .resideInAPackage("dev.inboxpush.doctor..")
        .and(
            DescribedPredicate.describe(
                "are not Main", c -> !c.getName().startsWith(Main.class.getName())))
        .should()
        .dependOnClassesThat(resideInAPackage("picocli.."))
        .because("the doctor itself is a plain class a test or another front end can run")
        .check(DOCTOR);
  }

  @Test
  void theDoctorUsesNoServiceCode() {
    noClasses()
        .that()
        .resideInAPackage("dev.inboxpush.doctor..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.inboxpush..")
                .and(DescribedPredicate.not(resideInAnyPackage("dev.inboxpush.doctor.."))))
        .because("it talks to the services over their public APIs only, as an administrator's tool")
        .check(DOCTOR);
  }

  @Test
  void featurePackagesAreFreeOfCycles() {
    ArchitectureRules.featurePackagesFreeOfCycles("dev.inboxpush.doctor").check(DOCTOR);
  }
}
