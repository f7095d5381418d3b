package dev.inboxpush.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The rules of docs/architecture.md that concern the shared model. */
class ArchitectureTests {

  private static final JavaClasses MODEL =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.inboxpush.model");

  @Test
  void theModelUsesOnlyTheJdkAndJSpecify() {
    classes()
        .that()
        .resideInAPackage("dev.inboxpush.model..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "org.jspecify..", "dev.inboxpush.model..")
        .because("both services and every tool share the model: no Spring, no AWS, no Reactor")
        .check(MODEL);
  }
}
