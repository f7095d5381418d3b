/**
 * The DynamoDB implementation of the store: one table, its key schema ({@link
 * dev.inboxpush.store.dynamo.TableLayout} documents every item and access pattern), the bootstrap
 * that creates or verifies it, and the AWS SDK v2 async client. AWS types stay inside this package.
 */
@NullMarked
package dev.inboxpush.store.dynamo;

import org.jspecify.annotations.NullMarked;
