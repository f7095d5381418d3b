package dev.inboxpush.deploy;

import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Billing;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ReplicaTableProps;
import software.amazon.awscdk.services.dynamodb.TableEncryptionV2;
import software.amazon.awscdk.services.dynamodb.TableV2;
import software.amazon.awscdk.services.secretsmanager.ReplicaRegion;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * What the three regions share, in {@link Region#HOME}: the Global Table (a replica in every
 * region) and the owner-hash key (a secret replicated to every region; the same key everywhere, or
 * a caller would not find their registrations in another region).
 *
 * <p>Both are retained when the stack is deleted, and the table has deletion protection: losing
 * either loses every registration.
 *
 * <p>The table's logical id is {@code Table} whatever its name, so that a restored table can take
 * its place: with {@link Deployment#tableDetached()} the stack leaves the table out (it is
 * retained, so CloudFormation only forgets it), and then {@code cdk import} adopts the restored one
 * under the same logical id (docs/runbook.md, "Restore the table to a point in time"). Changing
 * {@code tableName} alone would be a replacement, which CloudFormation refuses for a table of that
 * name that exists already.
 */
final class GlobalStack extends Stack {

  private final @Nullable TableV2 table;

  GlobalStack(Construct scope, String id, Deployment deployment) {
    super(
        scope,
        id,
        StackProps.builder()
            .env(Environment.builder().region(Region.HOME.code()).build())
            .description("inbox-push: the Global Table and the owner-hash key of all regions")
            .build());
    table = deployment.tableDetached() ? null : table(deployment);

    Secret ownerHashKey =
        Secret.Builder.create(this, "OwnerHashKey")
            .secretName(Deployment.OWNER_HASH_SECRET_NAME)
            .description(
                "inbox-push registration API: HMAC key of stored caller ids (never rotate: every"
                    + " stored owner hash depends on it)")
            .generateSecretString(
                SecretStringGenerator.builder()
                    .passwordLength(64)
                    .excludePunctuation(true)
                    .includeSpace(false)
                    .build())
            .replicaRegions(
                Region.others(Region.HOME).stream()
                    .map(r -> ReplicaRegion.builder().region(r.code()).build())
                    .toList())
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    Nag.suppress(
        ownerHashKey,
        "AwsSolutions-SMG4",
        "The owner-hash key is an HMAC key whose outputs are stored as keys of every registration;"
            + " rotating it would orphan them all. It never leaves Secrets Manager and the tasks.");
  }

  /** The table, or null when {@link Deployment#tableDetached()}. */
  @Nullable TableV2 table() {
    return table;
  }

  private TableV2 table(Deployment deployment) {
    TableSchema schema = TableSchema.of(deployment.tableName());
    return TableV2.Builder.create(this, "Table")
        .tableName(schema.tableName())
        .partitionKey(schema.partitionKey())
        .sortKey(schema.sortKey())
        .globalSecondaryIndexes(schema.indexes())
        .timeToLiveAttribute(schema.timeToLiveAttribute())
        .billing(Billing.onDemand())
        .pointInTimeRecoverySpecification(
            PointInTimeRecoverySpecification.builder()
                .pointInTimeRecoveryEnabled(true)
                .recoveryPeriodInDays(35)
                .build())
        // KMS with the AWS managed key in each replica's region: a customer managed key would
        // have to exist in all three regions before the table does.
        .encryption(TableEncryptionV2.awsManagedKey())
        .deletionProtection(true)
        .removalPolicy(RemovalPolicy.RETAIN)
        .replicas(
            Region.others(Region.HOME).stream()
                .map(r -> ReplicaTableProps.builder().region(r.code()).build())
                .toList())
        .build();
  }

  static List<String> replicaRegions() {
    return Region.others(Region.HOME).stream().map(Region::code).toList();
  }
}
