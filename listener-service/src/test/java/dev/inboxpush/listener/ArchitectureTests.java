package dev.inboxpush.listener;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.inboxpush.testsupport.architecture.ArchitectureRules.accessOf;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.inboxpush.listener.dispatch.Dispatcher;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.RegistrationStore;
import dev.inboxpush.testsupport.architecture.ArchitectureRules;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rules of docs/architecture.md that concern the listener, one test each. */
class ArchitectureTests {

  private static final JavaClasses LISTENER =
      ArchitectureRules.productionClasses("dev.inboxpush.listener");

  private static final String ROOT = "dev.inboxpush.listener";
  private static final String APNS = ROOT + ".dispatch.apns..";
  private static final String FCM = ROOT + ".dispatch.fcm..";

  @Test
  void featurePackagesAreFreeOfCycles() {
    ArchitectureRules.featurePackagesFreeOfCycles(ROOT).check(LISTENER);
  }

  @Test
  void theListenerSharesOnlyTheModelTheStoreAndTheSharedConfiguration() {
    ArchitectureRules.serviceSharesOnlyModelStoreAndConfiguration(ROOT).check(LISTENER);
  }

  @Test
  void ewsKnowsNoStoreNoDispatcherAndNoVendor() {
    classes()
        .that()
        .resideInAPackage(ROOT + ".ews..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "javax.xml..",
            "com.ctc.wstx..",
            "org.jspecify..",
            "dev.inboxpush.model..",
            ROOT + ".ews..")
        .because("the EWS protocol (parser, reply) is testable and reusable without the rest")
        .check(LISTENER);
  }

  @Test
  void graphKnowsNoStoreNoDispatcherAndNoVendor() {
    classes()
        .that()
        .resideInAPackage(ROOT + ".graph..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "tools.jackson.core..",
            "org.jspecify..",
            "dev.inboxpush.model..",
            ROOT + ".graph..")
        .because("the Graph protocol (its JSON parser) stands alone, as the EWS one does")
        .check(LISTENER);
  }

  @Test
  void pushyStaysInTheApnsPackage() {
    noClasses()
        .that()
        .resideOutsideOfPackage(APNS)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.eatthepath..")
        .because("vendor SDKs hide behind the dispatcher interface")
        .check(LISTENER);
  }

  @Test
  void firebaseAndItsHttpClientStayInTheFcmPackage() {
    noClasses()
        .that()
        .resideOutsideOfPackage(FCM)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.google.firebase..", "com.google.api..", "com.google.auth..", "org.apache.hc..")
        .because("vendor SDKs hide behind the dispatcher interface")
        .check(LISTENER);
  }

  @Test
  void nothingOutsideTheApnsPackageUsesIt() {
    onlyThroughTheDispatcherInterface(APNS);
  }

  @Test
  void nothingOutsideTheFcmPackageUsesIt() {
    onlyThroughTheDispatcherInterface(FCM);
  }

  private static void onlyThroughTheDispatcherInterface(String platformPackage) {
    noClasses()
        .that()
        .resideOutsideOfPackage(platformPackage)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(platformPackage)
        .because("APNs and FCM meet the rest only as PlatformDispatcher beans behind Dispatcher")
        .check(LISTENER);
  }

  @Test
  void theDispatcherKnowsNothingOfEwsTheAnswerPathOrTheStore() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".dispatch..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            ROOT + ".ews..",
            ROOT + ".callback..",
            ROOT + ".answer..",
            ROOT + ".badge..",
            ROOT + ".lookup..",
            ROOT + ".delivery..",
            ROOT + ".outbox..",
            "dev.inboxpush.store..")
        .because("a push in, an outcome out: dispatching is reusable for Graph notifications")
        .check(LISTENER);
  }

  @Test
  void onlyTheDeliveryPathSendsPushes() {
    noClasses()
        .that()
        .resideOutsideOfPackages(ROOT + ".delivery..", ROOT + ".dispatch..")
        .should()
        .accessTargetWhere(accessOf(Dispatcher.class, Set.of("dispatch")))
        .because("budget, outcome mapping, recording and parking happen in one place")
        .check(LISTENER);
  }

  @Test
  void onlyTheDeliveryPathWritesPendingBadges() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + ".delivery..")
        .should()
        .accessTargetWhere(
            accessOf(
                ListenerStateStore.class,
                Set.of("setPending", "clearPending", "reschedulePending")))
        .because("parking, clearing and rescheduling follow one set of rules")
        .check(LISTENER);
  }

  @Test
  void theListenerWritesNoRegistrationButDeletesDeadTokens() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + "..")
        .should()
        .accessTargetWhere(
            accessOf(
                RegistrationStore.class,
                Set.of(
                    "register",
                    "bind",
                    "bindGraph",
                    "refresh",
                    "rotateToken",
                    "delete",
                    "deleteAllOf")))
        .because(
            "registration items are written only by the registration API, so that writers in two"
                + " regions never undo each other under last-writer-wins")
        .check(LISTENER);
  }

  @Test
  void onlyTheDeliveryPathDeletesDeadTokens() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + ".delivery..")
        .should()
        .accessTargetWhere(accessOf(RegistrationStore.class, Set.of("deleteByDeviceToken")))
        .because("a dead token is deleted only behind the safety valve's outcome, with the cache")
        .check(LISTENER);
  }

  @Test
  void onlyTheCallbackPackageMeetsHttp() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + ".callback..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework.web..", "org.springframework.http..")
        .because("the EWS endpoint is the listener's one HTTP edge")
        .check(LISTENER);
  }
}
