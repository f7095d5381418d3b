package dev.inboxpush.simulator.exchange;

import dev.inboxpush.simulator.ews.Answers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends one notification as Exchange does until it is answered: a POST with {@code text/xml},
 * retried on the {@link RetrySchedule} while the answer is not a valid {@code OK} or {@code
 * Unsubscribe} (another status, a fault, a body without a status, no answer within the timeout, a
 * refused connection); each attempt goes where the {@link Route} says at that moment. Counts every
 * attempt and answer in the {@link Tally}: {@code posts}, {@code retries}, {@code answered.ok},
 * {@code answered.unsubscribe}, {@code answered.http-<status>} for other statuses, {@code
 * answered.no-status} for a 200 without one, {@code answered.timeout}, {@code answered.transport}.
 *
 * <p>Thread-safe and non-blocking: answers and retries complete on the HTTP client's and the
 * timer's threads.
 */
public final class Poster {

  /** How a notification ended. */
  public enum Outcome {
    OK,
    UNSUBSCRIBE,
    /** Not answered through the last retry: Exchange drops the subscription. */
    GAVE_UP
  }

  private final HttpClient http;
  private final ScheduledExecutorService timer;
  private final Duration timeout;
  private final Route route;
  private final Tally tally;

  public Poster(
      HttpClient http, ScheduledExecutorService timer, Duration timeout, Route route, Tally tally) {
    this.http = http;
    this.timer = timer;
    this.timeout = timeout;
    this.route = route;
    this.tally = tally;
  }

  /** POSTs {@code post} to {@code callbackUrl} (opaque, from the registration API) until done. */
  public CompletableFuture<Outcome> send(String callbackUrl, Post post, RetrySchedule schedule) {
    CompletableFuture<Outcome> done = new CompletableFuture<>();
    attempt(callbackUrl, post, schedule, 0, done);
    return done;
  }

  private void attempt(
      String callbackUrl,
      Post post,
      RetrySchedule schedule,
      int retries,
      CompletableFuture<Outcome> done) {
    tally.add("posts");
    tally.add("posts." + post.kind());
    if (retries > 0) {
      tally.add("retries");
    }
    URI target = route.target(callbackUrl);
    HttpRequest request =
        HttpRequest.newBuilder(target)
            .timeout(timeout)
            .header("Content-Type", "text/xml; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofByteArray(post.body()))
            .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .handle(
            (response, failure) -> {
              Answers.Status status;
              if (failure != null) {
                Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                tally.add(
                    cause instanceof HttpTimeoutException
                        ? "answered.timeout"
                        : "answered.transport");
                status = Answers.Status.NOT_ANSWERED;
              } else {
                status = Answers.of(response.statusCode(), response.body());
                tally.add(
                    switch (status) {
                      case OK -> "answered.ok";
                      case UNSUBSCRIBE -> "answered.unsubscribe";
                      case NOT_ANSWERED ->
                          response.statusCode() == 200
                              ? "answered.no-status"
                              : "answered.http-" + response.statusCode();
                    });
              }
              switch (status) {
                case OK -> done.complete(Outcome.OK);
                case UNSUBSCRIBE -> done.complete(Outcome.UNSUBSCRIBE);
                case NOT_ANSWERED -> {
                  Optional<Duration> wait = schedule.delayBefore(retries + 1);
                  if (wait.isEmpty()) {
                    tally.add("subscriptions.dropped");
                    done.complete(Outcome.GAVE_UP);
                  } else {
                    timer.schedule(
                        () -> attempt(callbackUrl, post, schedule, retries + 1, done),
                        wait.get().toNanos(),
                        TimeUnit.NANOSECONDS);
                  }
                }
              }
              return null;
            });
  }
}
