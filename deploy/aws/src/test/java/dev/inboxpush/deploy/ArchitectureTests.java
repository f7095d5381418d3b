package dev.inboxpush.deploy;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.inboxpush.store.dynamo.TableBootstrap;
import dev.inboxpush.store.dynamo.TableLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What the deployment may take from the rest of the project: the table's schema, nothing else. */
class ArchitectureTests {

  // The module's own class folder only: scanning the class path for the package would walk
  // aws-cdk-lib's tens of thousands of entries.
  private static final JavaClasses DEPLOY =
      new ClassFileImporter().importPath(Path.of("target", "classes"));

  @Test
  void ofOurOwnCodeOnlyTheStoresSchemaIsUsed() {
    noClasses()
        .that()
        .resideInAPackage("dev.inboxpush.deploy..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.inboxpush..")
                .and(DescribedPredicate.not(resideInAnyPackage("dev.inboxpush.deploy..")))
                .and(
                    DescribedPredicate.not(
                        JavaClass.Predicates.belongToAnyOf(
                            TableBootstrap.class, TableLayout.class))))
        .because(
            "the schema is the one thing the deployment and the services must share (one source of"
                + " truth); the stores themselves are the services' business")
        .check(DEPLOY);
  }

  @Test
  void ofTheAwsSdkOnlyDynamoDbsModelIsUsed() {
    noClasses()
        .that()
        .resideInAPackage("dev.inboxpush.deploy..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("software.amazon.awssdk..")
                .and(
                    DescribedPredicate.not(
                        resideInAPackage("software.amazon.awssdk.services.dynamodb.model.."))))
        .because("synthesis never calls AWS: no client, no credentials")
        .check(DEPLOY);
  }
}
