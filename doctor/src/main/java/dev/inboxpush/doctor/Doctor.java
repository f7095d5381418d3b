package dev.inboxpush.doctor;

import dev.inboxpush.doctor.DoctorOptions.TestMessage;
import dev.inboxpush.doctor.Step.Result;
import dev.inboxpush.doctor.ews.Ews;
import dev.inboxpush.doctor.ews.EwsCredentials;
import dev.inboxpush.doctor.ews.EwsProblem;
import dev.inboxpush.doctor.ews.EwsResult;
import dev.inboxpush.doctor.ews.TlsCheck;
import dev.inboxpush.doctor.registration.RegistrationApi;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs the diagnosis of one mailbox, step by step, and returns the {@link Report}:
 *
 * <ol>
 *   <li>the EWS endpoint: reachable, its TLS certificate valid (or which check failed), the
 *       credentials accepted ({@code GetFolder} of the Inbox), Exchange's version;
 *   <li>a throw-away registration, then a real push subscription on the Inbox (NewMail, Modified, a
 *       short StatusFrequency) to its callback URL, bound to it;
 *   <li>the wait for Exchange's first notification (its heartbeat) to reach the listener, seen as
 *       the registration's {@code lastSeen}; optionally a test message, sent or asked for, and the
 *       wait for its push ({@code lastPushAt}, {@code lastPushOutcome});
 *   <li>clean-up: the registration is deleted, whatever happened before. A push subscription cannot
 *       be ended with EWS's {@code Unsubscribe} (which ends pull and streaming ones only): the
 *       listener answers {@code Unsubscribe} to its next notification, which ends it.
 * </ol>
 *
 * <p>A step that fails ends the run with its {@link Outcome}; later steps are not tried (the
 * clean-up always is). Every step is handed to {@code progress} as it ends, so that a person sees
 * the report grow. Unexpected exceptions become {@link Outcome#INTERNAL_ERROR}, never a stack trace
 * with a secret in it.
 *
 * <p>One run per instance, on the caller's thread; blocking. {@link #cleanUp()} may also be called
 * from another thread (a shutdown hook on Ctrl-C); it is idempotent.
 */
public final class Doctor {

  /** Opens the EWS client for the mailbox; the real one is {@code JavaApiEws}. */
  public interface EwsFactory {
    Ews open(URI url, EwsCredentials credentials, TlsCheck.Trust trust, Duration timeout);
  }

  private static final Duration POLL = Duration.ofMillis(500);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DoctorOptions options;
  private final EwsCredentials credentials;
  private final TlsCheck.Trust trust;
  private final RegistrationApi registrations;
  private final EwsFactory ewsFactory;
  private final Clock clock;
  private final Consumer<Step> progress;
  private final Consumer<String> notice;
  private final List<Step> steps = new ArrayList<>();
  private @Nullable String registrationId;
  private boolean cleanedUp;

  /**
   * @param progress receives each step as it ends
   * @param notice receives what the user must do (send a test message) and waits for
   */
  public Doctor(
      DoctorOptions options,
      EwsCredentials credentials,
      TlsCheck.Trust trust,
      RegistrationApi registrations,
      EwsFactory ewsFactory,
      Clock clock,
      Consumer<Step> progress,
      Consumer<String> notice) {
    this.options = options;
    this.credentials = credentials;
    this.trust = trust;
    this.registrations = registrations;
    this.ewsFactory = ewsFactory;
    this.clock = clock;
    this.progress = progress;
    this.notice = notice;
  }

  public Report run() {
    Outcome outcome;
    try {
      outcome = diagnose();
    } catch (RuntimeException | LinkageError e) {
      // Only the type: an unexpected exception's message is not ours to vouch for.
      record(0, "unexpected error", Result.FAILED, Duration.ZERO, e.getClass().getName());
      outcome = Outcome.INTERNAL_ERROR;
    }
    Outcome cleanUp = cleanUp();
    if (outcome == Outcome.PUSH_WORKS && cleanUp != Outcome.PUSH_WORKS) {
      outcome = cleanUp;
    }
    synchronized (this) {
      return new Report(steps, outcome);
    }
  }

  private Outcome diagnose() {
    // Step 1: the EWS endpoint.
    Instant started = clock.instant();
    TlsCheck.Verdict verdict = new TlsCheck(trust, options.timeout()).check(options.ewsUrl());
    String connection = "EWS endpoint: connection and TLS";
    if (verdict instanceof TlsCheck.Verdict.Unreachable unreachable) {
      return fail(1, connection, started, unreachable.detail(), outcomeOf(unreachable.problem()));
    }
    if (verdict instanceof TlsCheck.Verdict.Rejected rejected) {
      return fail(
          1,
          connection,
          started,
          "certificate rejected: "
              + String.join("; ", rejected.failures())
              + " ["
              + rejected.certificate()
              + "]",
          Outcome.EWS_TLS);
    }
    if (verdict instanceof TlsCheck.Verdict.PlainHttp plain) {
      record(
          1,
          connection,
          Result.WARNING,
          since(started),
          plain.address() + " reachable over plain HTTP: credentials travel unencrypted");
    } else if (verdict instanceof TlsCheck.Verdict.Trusted trusted) {
      record(
          1, connection, Result.OK, since(started), "certificate valid: " + trusted.certificate());
    }

    try (Ews ews = ewsFactory.open(options.ewsUrl(), credentials, trust, options.timeout())) {
      started = clock.instant();
      String login = "EWS: credentials and Exchange's version";
      EwsResult<Ews.Mailbox> opened = ews.openInbox();
      if (opened instanceof EwsResult.Failed<Ews.Mailbox> failed) {
        return fail(
            1,
            login,
            started,
            "GetFolder (Inbox): " + failed.detail(),
            outcomeOf(failed.problem()));
      }
      Ews.Mailbox mailbox = ((EwsResult.Ok<Ews.Mailbox>) opened).value();
      record(
          1,
          login,
          Result.OK,
          since(started),
          credentials.kind() + " accepted; " + mailbox.serverVersion() + "; Inbox found");

      // The throw-away registration the subscription posts to.
      started = clock.instant();
      String register = "throw-away registration";
      boolean madeUp = options.deviceToken() == null;
      RegistrationApi.Result<RegistrationApi.Created> created =
          registrations.register(
              options.platform(),
              options.appId(),
              options.apnsEnvironment(),
              madeUp ? madeUpToken(options.platform()) : options.deviceToken());
      if (!(created instanceof RegistrationApi.Result.Ok<RegistrationApi.Created> ok)) {
        return fail(
            0,
            register,
            started,
            "POST /v1/registrations: " + failure(created),
            Outcome.REGISTRATION_FAILED);
      }
      RegistrationApi.Created registration = ok.value();
      synchronized (this) {
        registrationId = registration.registrationId();
      }
      record(
          0,
          register,
          Result.OK,
          since(started),
          "registration "
              + registration.registrationId()
              + " ("
              + options.platform()
              + ", "
              + (madeUp ? "a made-up device token" : "the given device token")
              + "), callback URL "
              + redacted(registration.callbackUrl()));

      // Step 2: a real push subscription.
      started = clock.instant();
      String subscribe =
          "push subscription (Inbox, StatusFrequency " + options.statusFrequency() + " min)";
      EwsResult<String> subscribed =
          ews.subscribe(
              mailbox.inboxFolderId(), registration.callbackUrl(), options.statusFrequency());
      if (subscribed instanceof EwsResult.Failed<String> failed) {
        return fail(
            2, subscribe, started, "Subscribe: " + failed.detail(), outcomeOf(failed.problem()));
      }
      String subscriptionId = ((EwsResult.Ok<String>) subscribed).value();
      RegistrationApi.Result<String> bound =
          registrations.bind(
              registration.registrationId(),
              subscriptionId,
              mailbox.inboxFolderId(),
              options.statusFrequency());
      if (!(bound instanceof RegistrationApi.Result.Ok<String>)) {
        return fail(
            2,
            subscribe,
            started,
            "subscribed, but binding it failed: PUT /v1/registrations/{id}/subscription: "
                + failure(bound),
            Outcome.REGISTRATION_FAILED);
      }
      record(
          2,
          subscribe,
          Result.OK,
          since(started),
          "NewMail and Modified events; SubscriptionId " + shortened(subscriptionId) + " bound");

      // Step 3: Exchange's notifications reach the listener.
      Outcome heard = awaitHeartbeat(registration.registrationId());
      if (heard != Outcome.PUSH_WORKS || options.testMessage() == TestMessage.NONE) {
        return heard;
      }
      return awaitTestMessage(ews, registration.registrationId(), madeUp);
    }
  }

  private Outcome awaitHeartbeat(String id) {
    Instant started = clock.instant();
    String name = "Exchange's first notification reaches the listener";
    Instant deadline = started.plus(options.waitForHeartbeat());
    while (true) {
      RegistrationApi.Result<RegistrationApi.Status> read = registrations.status(id);
      if (read instanceof RegistrationApi.Result.Gone<RegistrationApi.Status>) {
        return fail(
            3,
            name,
            started,
            "the registration is gone: the listener answered Unsubscribe",
            Outcome.LISTENER_UNSUBSCRIBED);
      }
      if (read instanceof RegistrationApi.Result.Failed<RegistrationApi.Status>) {
        return fail(
            3,
            name,
            started,
            "GET /v1/registrations/{id}: " + failure(read),
            Outcome.REGISTRATION_FAILED);
      }
      RegistrationApi.Status status =
          ((RegistrationApi.Result.Ok<RegistrationApi.Status>) read).value();
      if ("subscription-error".equals(status.status())) {
        return fail(
            3,
            name,
            started,
            "Exchange reached the listener, but reported the subscription failed (the error form)",
            Outcome.EWS_ERROR);
      }
      if (status.lastSeen() != null) {
        record(
            3,
            name,
            Result.OK,
            since(started),
            "the listener heard from Exchange (lastSeen " + status.lastSeen() + ")");
        return Outcome.PUSH_WORKS;
      }
      if (!clock.instant().isBefore(deadline)) {
        return fail(
            3,
            name,
            started,
            "nothing reached the listener within " + options.waitForHeartbeat().toSeconds() + " s",
            Outcome.LISTENER_UNREACHABLE);
      }
      pause();
    }
  }

  private Outcome awaitTestMessage(Ews ews, String id, boolean madeUp) {
    Instant started = clock.instant();
    String name = "test message";
    if (options.testMessage() == TestMessage.SEND) {
      EwsResult<Instant> sent = ews.sendTestMessage(options.mailbox());
      if (sent instanceof EwsResult.Failed<Instant> failed) {
        return fail(
            3, name, started, "CreateItem (send): " + failed.detail(), outcomeOf(failed.problem()));
      }
      record(3, name, Result.OK, since(started), "sent from the test mailbox to itself");
    } else {
      notice.accept(
          "Send a message to the test mailbox now, from any account; waiting up to "
              + options.mailWait().toSeconds()
              + " s for its notification ...");
      record(3, name, Result.OK, since(started), "asked for one to be sent to the test mailbox");
    }
    started = clock.instant();
    name = "the test message's notification reaches the listener";
    Instant deadline = started.plus(options.mailWait());
    while (true) {
      RegistrationApi.Result<RegistrationApi.Status> read = registrations.status(id);
      if (read instanceof RegistrationApi.Result.Gone<RegistrationApi.Status>) {
        return fail(
            3,
            name,
            started,
            "the registration is gone: the listener answered Unsubscribe"
                + (madeUp ? " (the push provider refused the made-up device token as dead)" : ""),
            Outcome.LISTENER_UNSUBSCRIBED);
      }
      if (read instanceof RegistrationApi.Result.Failed<RegistrationApi.Status>) {
        return fail(
            3,
            name,
            started,
            "GET /v1/registrations/{id}: " + failure(read),
            Outcome.REGISTRATION_FAILED);
      }
      RegistrationApi.Status status =
          ((RegistrationApi.Result.Ok<RegistrationApi.Status>) read).value();
      if (status.lastPushAt() != null) {
        String outcome = String.valueOf(status.lastPushOutcome());
        boolean accepted = "accepted".equals(outcome);
        record(
            3,
            name,
            accepted ? Result.OK : Result.WARNING,
            since(started),
            "the listener pushed it (lastPushAt "
                + status.lastPushAt()
                + "); the push provider's answer: "
                + outcome
                + (accepted
                    ? ""
                    : madeUp
                        ? " (expected with the made-up device token; give --device-token of a test"
                            + " device to check the push too)"
                        : " (see the listener's troubleshooting table for this outcome)"));
        return Outcome.PUSH_WORKS;
      }
      if (!clock.instant().isBefore(deadline)) {
        return fail(
            3,
            name,
            started,
            "no new-mail notification within " + options.mailWait().toSeconds() + " s",
            Outcome.TEST_MESSAGE_NOT_NOTIFIED);
      }
      pause();
    }
  }

  /**
   * Step 4: deletes the throw-away registration, if one was made and not yet deleted. Safe to call
   * from another thread and more than once.
   *
   * @return {@link Outcome#PUSH_WORKS} when there is nothing left behind, else {@link
   *     Outcome#REGISTRATION_FAILED}
   */
  public Outcome cleanUp() {
    String id;
    synchronized (this) {
      if (cleanedUp || registrationId == null) {
        cleanedUp = true;
        return Outcome.PUSH_WORKS;
      }
      cleanedUp = true;
      id = registrationId;
    }
    Instant started = clock.instant();
    String name = "remove the throw-away registration";
    RegistrationApi.Result<String> deleted = registrations.delete(id);
    if (deleted instanceof RegistrationApi.Result.Failed<String>) {
      record(
          4,
          name,
          Result.FAILED,
          since(started),
          "DELETE /v1/registrations/" + id + ": " + failure(deleted) + "; delete it yourself");
      return Outcome.REGISTRATION_FAILED;
    }
    record(
        4,
        name,
        Result.OK,
        since(started),
        (deleted instanceof RegistrationApi.Result.Gone<String> ? "already gone" : "deleted")
            + "; the listener answers Unsubscribe to the subscription's next notification once its"
            + " lookup cache lets the registration go (within about "
            + (options.statusFrequency() + 1)
            + " min), which ends the subscription at Exchange");
    return Outcome.PUSH_WORKS;
  }

  // ---- helpers --------------------------------------------------------------------------------

  private Outcome fail(int number, String name, Instant started, String detail, Outcome outcome) {
    record(number, name, Result.FAILED, since(started), detail);
    return outcome;
  }

  private void record(int number, String name, Result result, Duration took, String detail) {
    Step step = new Step(number, name, result, took, detail);
    synchronized (this) {
      steps.add(step);
    }
    progress.accept(step);
  }

  private Duration since(Instant started) {
    return Duration.between(started, clock.instant());
  }

  private static Outcome outcomeOf(EwsProblem problem) {
    return switch (problem) {
      case UNREACHABLE -> Outcome.EWS_UNREACHABLE;
      case TLS -> Outcome.EWS_TLS;
      case TIMEOUT -> Outcome.EWS_TIMEOUT;
      case CREDENTIALS_REFUSED -> Outcome.CREDENTIALS_REFUSED;
      case EWS_DISABLED -> Outcome.EWS_DISABLED;
      case EWS_ERROR -> Outcome.EWS_ERROR;
    };
  }

  private static String failure(RegistrationApi.Result<?> result) {
    if (result instanceof RegistrationApi.Result.Failed<?> failed) {
      return failed.detail();
    }
    return "HTTP 404 Not Found";
  }

  /**
   * A device token no device has: 32 random bytes in hex for APNs, an FCM-shaped one for FCM. A
   * push to it is refused by the provider, which is why a test message's push is not judged with
   * it.
   */
  private static String madeUpToken(String platform) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String hex = HexFormat.of().formatHex(bytes);
    return platform.equals("apns") ? hex : "inboxpush-doctor-" + hex;
  }

  /** The callback URL without its secret token: scheme, host, port and the path's start. */
  private static String redacted(URI callback) {
    String path = callback.getPath() == null ? "" : callback.getPath();
    int last = path.lastIndexOf('/');
    String shown = last < 0 ? "" : path.substring(0, last + 1);
    return callback.getScheme()
        + "://"
        + callback.getHost()
        + (callback.getPort() == -1 ? "" : ":" + callback.getPort())
        + shown
        + "(secret)";
  }

  private static String shortened(String id) {
    return id.length() <= 12 ? id : id.substring(0, 8) + "…(" + id.length() + ")";
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }
}
