package dev.inboxpush.registration;

import dev.inboxpush.testsupport.blockhound.BlockHoundCheck;
import org.junit.jupiter.api.Test;

/** BlockHound is installed in this module's test JVMs: a blocking call on an event loop fails. */
class BlockHoundTests {

  @Test
  void aBlockingCallOnAnEventLoopFails() {
    BlockHoundCheck.assertArmed();
  }
}
