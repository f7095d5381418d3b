package dev.inboxpush.local.push;

import com.eatthepath.pushy.apns.server.RejectionReason;
import dev.inboxpush.testsupport.apns.MockApns;
import dev.inboxpush.testsupport.fcm.FakeFcmServer;
import dev.inboxpush.testsupport.fcm.FcmErrorCode;
import dev.inboxpush.testsupport.fcm.FcmFailure;
import java.time.Duration;

/**
 * The inspector's fault controls on the two servers, for fault runs: a share of a platform's pushes
 * answered with an error status, after a delay. APNs: 500 (an internal error), 503 ({@code
 * ServiceUnavailable}), 429 ({@code TooManyRequests}), 403 ({@code ExpiredProviderToken}: the
 * provider token refused, so the client signs a new one), a delay holding the server's event loop.
 * FCM: 500, 503, 429 at the share, 401 revoking every access token issued so far (the client is
 * refused until it fetches a new one), a delay on every answer. Status 0 keeps the usual answer (a
 * delay alone). Thread-safe: each server's controls are.
 */
final class PushFaults implements Inspector.Faults {

  private final MockApns apns;
  private final FakeFcmServer fcm;

  PushFaults(MockApns apns, FakeFcmServer fcm) {
    this.apns = apns;
    this.fcm = fcm;
  }

  @Override
  public void set(String platform, int status, double share, Duration delay) {
    if (ApnsRows.PLATFORM.equals(platform)) {
      MockApns.Script script =
          switch (status) {
            case 500 -> new MockApns.Fail();
            case 503 -> new MockApns.Reject(RejectionReason.SERVICE_UNAVAILABLE);
            case 429 -> new MockApns.Reject(RejectionReason.TOO_MANY_REQUESTS);
            case 401, 403 -> new MockApns.Reject(RejectionReason.EXPIRED_PROVIDER_TOKEN);
            default -> null;
          };
      apns.fault(new MockApns.Fault(share, script, delay));
      return;
    }
    clearFcmRates();
    switch (status) {
      case 500 -> fcm.failRandomly(FcmFailure.of(FcmErrorCode.INTERNAL), share);
      case 503 -> fcm.failRandomly(FcmFailure.of(FcmErrorCode.UNAVAILABLE), share);
      case 429 -> fcm.failRandomly(FcmFailure.of(FcmErrorCode.QUOTA_EXCEEDED), share);
      case 401, 403 -> fcm.revokeIssuedTokens();
      default -> {
        // the usual answers, with the delay below
      }
    }
    fcm.setLatency(delay);
  }

  @Override
  public void clear(String platform) {
    if (ApnsRows.PLATFORM.equals(platform)) {
      apns.fault(null);
      return;
    }
    clearFcmRates();
    fcm.setLatency(Duration.ZERO);
  }

  private void clearFcmRates() {
    for (FcmErrorCode code :
        new FcmErrorCode[] {
          FcmErrorCode.INTERNAL, FcmErrorCode.UNAVAILABLE, FcmErrorCode.QUOTA_EXCEEDED
        }) {
      fcm.failRandomly(FcmFailure.of(code), 0);
    }
  }
}
