/**
 * The local DynamoDB engine: dynalite (npm, MIT), installed by the build from the lock file in
 * {@code test-support/dynalite}, started on a free loopback port and stopped after the tests.
 * Amazon's DynamoDB Local is not open source and is not used.
 */
@NullMarked
package dev.inboxpush.testsupport.dynamo;

import org.jspecify.annotations.NullMarked;
