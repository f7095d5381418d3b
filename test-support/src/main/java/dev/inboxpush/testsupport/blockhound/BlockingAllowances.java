package dev.inboxpush.testsupport.blockhound;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The blocking calls allowed on event loops in our test JVMs, each a single method with its reason.
 * Found by {@code blockhound-junit-platform}'s installer through the service loader; everything
 * else that blocks on an event loop fails the test that caused it.
 */
public final class BlockingAllowances implements BlockHoundIntegration {

  @Override
  public void applyTo(BlockHound.Builder builder) {
    // SecureRandom (and UUID.randomUUID through it) reads /dev/urandom, which never blocks once the
    // kernel's pool is seeded; the JDK has no non-blocking source of random bytes.
    builder.allowBlockingCallsInside("java.security.SecureRandom", "nextBytes");
    // The AWS SDK closes its Netty channel pools on Netty's GlobalEventExecutor when a DynamoDB
    // client is closed: at shutdown only, never while serving.
    builder.allowBlockingCallsInside("io.netty.channel.pool.SimpleChannelPool", "close");
    // Netty 4.2's adaptive allocator takes a StampedLock while it adds magazines under contention:
    // a short lock inside the allocator, not I/O, and not covered by Netty's own integration.
    builder.allowBlockingCallsInside(
        "io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
    // The AWS SDK's SigV4 signer borrows and returns MessageDigests through a LinkedBlockingDeque;
    // under concurrent requests its ReentrantLock can park for the length of an offer or poll: a
    // short lock around a pool of digests, not I/O (seen with 4 Graph POSTs in flight).
    builder.allowBlockingCallsInside(
        "software.amazon.awssdk.checksums.internal.DigestAlgorithm$CloseableMessageDigest",
        "close");
    builder.allowBlockingCallsInside(
        "software.amazon.awssdk.checksums.internal.DigestAlgorithm", "getDigest");
    // MockApns holds scripted answers, and runs a test's hooks (stopping dynalite mid-push), on the
    // mock server's own event loop (pushy's handler API is synchronous); that thread serves nothing
    // but the mock.
    builder.allowBlockingCallsInside(
        "dev.inboxpush.testsupport.apns.MockApns", "holdUntilReleased");
    builder.allowBlockingCallsInside("dev.inboxpush.testsupport.apns.MockApns", "runHook");
  }
}
