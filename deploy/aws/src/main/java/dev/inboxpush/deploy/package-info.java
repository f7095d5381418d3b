/**
 * The three regions of inbox-push as an AWS CDK app: one Global Table ({@link GlobalStack}) and one
 * stack per region ({@link RegionStack}) with both services on ECS Fargate behind TLS load
 * balancers, Route 53 failover for the listener's hostnames, Secrets Manager secrets,
 * least-privilege IAM ({@link ServiceAccess}), logs, alarms, autoscaling and a Prometheus
 * collector.
 *
 * <p>Synthesis only: nothing here calls AWS. Stacks have a region but no account, so CDK never
 * looks up real values; {@code cdk deploy} supplies the account.
 */
@NullMarked
package dev.inboxpush.deploy;

import org.jspecify.annotations.NullMarked;
