package dev.inboxpush.registration.api;

import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.ClientState;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.GraphLifecycleEvent;
import dev.inboxpush.model.GraphSubscription;
import dev.inboxpush.model.InvalidValueException;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.Region;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.RegistrationKind;
import dev.inboxpush.model.StatusFrequency;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.registration.api.JsonBodies.GraphStatusResponse;
import dev.inboxpush.registration.api.JsonBodies.GraphSubscriptionRequest;
import dev.inboxpush.registration.api.JsonBodies.RegisterRequest;
import dev.inboxpush.registration.api.JsonBodies.RegistrationResponse;
import dev.inboxpush.registration.api.JsonBodies.RotateRequest;
import dev.inboxpush.registration.api.JsonBodies.StatusResponse;
import dev.inboxpush.registration.api.JsonBodies.SubscriptionRequest;
import dev.inboxpush.registration.api.JsonBodies.WipeResponse;
import dev.inboxpush.registration.problem.ApiProblemException;
import dev.inboxpush.registration.security.OwnerHasher;
import dev.inboxpush.registration.security.RegistrationSecrets;
import dev.inboxpush.store.GraphLifecycle;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.NewRegistration;
import dev.inboxpush.store.RegisterOutcome;
import dev.inboxpush.store.RegistrationStore;
import dev.inboxpush.store.RotateOutcome;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /v1/registrations}: every operation acts only on the caller's registrations (the store
 * keeps a keyed hash of the token's issuer and subject). A registration that is not the caller's is
 * answered exactly like one that does not exist. Errors become problem details at the service's one
 * error edge, {@link dev.inboxpush.registration.problem}. A registration is of kind {@code ews}
 * (the app binds an EWS subscription) or {@code graph} (it binds a Microsoft Graph subscription);
 * binding the other kind's subscription is a conflict. Non-blocking; thread-safe.
 */
@RestController
@RequestMapping(path = "/v1/registrations", produces = MediaType.APPLICATION_JSON_VALUE)
class RegistrationController {

  private final RegistrationStore registrations;
  private final ListenerStateStore states;
  private final OwnerHasher owners;
  private final RegistrationSecrets secrets;
  private final ApiProperties properties;
  private final Region region;
  private final Clock clock;
  private final ApiMetrics metrics;

  RegistrationController(
      RegistrationStore registrations,
      ListenerStateStore states,
      OwnerHasher owners,
      RegistrationSecrets secrets,
      ApiProperties properties,
      Region region,
      Clock clock,
      ApiMetrics metrics) {
    this.registrations = registrations;
    this.states = states;
    this.owners = owners;
    this.secrets = secrets;
    this.properties = properties;
    this.region = region;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Registers a device (201), or refreshes the caller's registration of the same device (200). A
   * Graph registration's {@code clientState} secret is derived here ({@link RegistrationSecrets}:
   * the same for the same device and owner in every region) and answered in both (never in a status
   * or bind answer); the store keeps its hash. So an app whose 201 was lost (a region failed before
   * answering) gets the secret from the registration another region adopted.
   */
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  Mono<ResponseEntity<RegistrationResponse>> register(
      @AuthenticationPrincipal Jwt caller, @RequestBody RegisterRequest body) {
    NewRegistration request = validate(owners.ownerOf(caller), body);
    return registrations
        .register(request)
        .flatMap(
            outcome -> {
              Registration registration = outcome.registration();
              @Nullable ClientState clientState = clientStateOf(registration);
              if (outcome instanceof RegisterOutcome.Created) {
                metrics.count(ApiMetrics.Outcome.CREATED);
                return Mono.just(
                    ResponseEntity.created(URI.create("/v1/registrations/" + registration.id()))
                        .body(response(registration, clientState)));
              }
              if (outcome instanceof RegisterOutcome.KindConflict) {
                String kind = registration.kind().wireName();
                return Mono.error(
                    ApiProblemException.conflict(
                        "You already registered this device for this app with kind "
                            + kind
                            + "; delete that registration to switch.",
                        Map.of("registrationId", registration.id().value(), "kind", kind)));
              }
              metrics.count(ApiMetrics.Outcome.REFRESHED);
              return Mono.just(ResponseEntity.ok(response(registration, clientState)));
            });
  }

  /** The registration and what the app should do about it. */
  @GetMapping("/{id}")
  Mono<StatusResponse> status(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
    return owned(caller, id)
        .flatMap(
            registration ->
                states.find(registration.id()).map(state -> statusOf(registration, state)));
  }

  /** Binds or replaces the EWS subscription. */
  @PutMapping(path = "/{id}/subscription", consumes = MediaType.APPLICATION_JSON_VALUE)
  Mono<RegistrationResponse> bind(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String id,
      @RequestBody SubscriptionRequest body) {
    RequestFields fields = new RequestFields();
    SubscriptionBinding binding = fields.parse(() -> binding(body));
    RegistrationId registrationId = registrationId(id);
    fields.check();
    OwnerHash owner = owners.ownerOf(caller);
    return registrations
        .bind(owner, registrationId, binding)
        .switchIfEmpty(Mono.defer(() -> notBound(owner, registrationId, RegistrationKind.EWS)))
        .doOnNext(registration -> metrics.count(ApiMetrics.Outcome.BOUND))
        .map(this::response);
  }

  /**
   * Binds or replaces the Microsoft Graph subscription (after the app created, renewed or
   * re-created it).
   */
  @PutMapping(path = "/{id}/graph-subscription", consumes = MediaType.APPLICATION_JSON_VALUE)
  Mono<RegistrationResponse> bindGraph(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String id,
      @RequestBody GraphSubscriptionRequest body) {
    RequestFields fields = new RequestFields();
    GraphSubscription subscription =
        fields.parse(() -> GraphSubscriptionFields.parse(body, clock.instant()));
    RegistrationId registrationId = registrationId(id);
    fields.check();
    OwnerHash owner = owners.ownerOf(caller);
    return registrations
        .bindGraph(owner, registrationId, subscription)
        .switchIfEmpty(Mono.defer(() -> notBound(owner, registrationId, RegistrationKind.GRAPH)))
        .doOnNext(registration -> metrics.count(ApiMetrics.Outcome.GRAPH_BOUND))
        .map(this::response);
  }

  /** Replaces the device token (the app got a new one). */
  @PutMapping(path = "/{id}/device-token", consumes = MediaType.APPLICATION_JSON_VALUE)
  Mono<RegistrationResponse> rotate(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String id,
      @RequestBody RotateRequest body) {
    RegistrationId registrationId = registrationId(id);
    OwnerHash owner = owners.ownerOf(caller);
    return registrations
        .findOwned(owner, registrationId)
        .switchIfEmpty(Mono.error(ApiProblemException::notFound))
        .flatMap(
            current -> {
              RequestFields fields = new RequestFields();
              DeviceToken token =
                  fields.parse(() -> DeviceToken.of(current.platform(), body.deviceToken()));
              fields.check();
              return registrations.rotateToken(owner, registrationId, token);
            })
        .flatMap(
            outcome -> {
              if (outcome instanceof RotateOutcome.Rotated rotated) {
                metrics.count(ApiMetrics.Outcome.ROTATED);
                return Mono.just(response(rotated.registration()));
              }
              if (outcome instanceof RotateOutcome.TokenInUse) {
                return Mono.error(
                    ApiProblemException.conflict(
                        "you already have a registration for this device token and app"));
              }
              return Mono.error(ApiProblemException.notFound());
            });
  }

  /** Extends the registration's life by the configured lifetime. */
  @PostMapping("/{id}/refresh")
  Mono<RegistrationResponse> refresh(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
    return registrations
        .refresh(owners.ownerOf(caller), registrationId(id), properties.lifetime())
        .switchIfEmpty(Mono.error(ApiProblemException::notFound))
        .doOnNext(registration -> metrics.count(ApiMetrics.Outcome.REFRESHED))
        .map(this::response);
  }

  @DeleteMapping("/{id}")
  Mono<ResponseEntity<Void>> delete(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
    // Only a live registration of the caller: a 404 must write nothing, not even a cleanup.
    return owned(caller, id)
        .flatMap(registration -> registrations.delete(registration.owner(), registration.id()))
        .flatMap(
            deleted -> {
              if (!deleted) {
                return Mono.error(ApiProblemException.notFound());
              }
              metrics.count(ApiMetrics.Outcome.DELETED);
              return Mono.just(ResponseEntity.noContent().<Void>build());
            });
  }

  /** Deletes every registration of the caller: a device wipe or an account removal. */
  @DeleteMapping
  Mono<WipeResponse> deleteAll(@AuthenticationPrincipal Jwt caller) {
    return registrations
        .deleteAllOf(owners.ownerOf(caller))
        .doOnNext(deleted -> metrics.count(ApiMetrics.Outcome.DELETED, deleted))
        .map(WipeResponse::new);
  }

  // ---- helpers --------------------------------------------------------------------------------

  /**
   * Why a bind of {@code wanted}'s subscription wrote nothing: the store answers the same for a
   * registration that is not the caller's (or not live) and one of the other kind, so this read,
   * made only on that failure path, tells them apart: 409 for the other kind, else 404.
   */
  private <T> Mono<T> notBound(OwnerHash owner, RegistrationId id, RegistrationKind wanted) {
    return registrations
        .findOwned(owner, id)
        .filter(registration -> registration.kind() != wanted)
        .flatMap(
            registration ->
                Mono.<T>error(
                    ApiProblemException.conflict(
                        registration.kind() == RegistrationKind.GRAPH
                            ? "This is a graph registration: bind its Microsoft Graph subscription"
                                + " with PUT /v1/registrations/{id}/graph-subscription."
                            : "This is an ews registration: bind its EWS subscription with"
                                + " PUT /v1/registrations/{id}/subscription.")))
        .switchIfEmpty(Mono.error(ApiProblemException::notFound));
  }

  private Mono<Registration> owned(Jwt caller, String id) {
    return registrations
        .findOwned(owners.ownerOf(caller), registrationId(id))
        .switchIfEmpty(Mono.error(ApiProblemException::notFound));
  }

  /** A malformed id cannot name a registration: not found, like any other. */
  private static RegistrationId registrationId(String id) {
    try {
      return RegistrationId.of(id);
    } catch (InvalidValueException e) {
      throw ApiProblemException.notFound();
    }
  }

  private NewRegistration validate(OwnerHash owner, RegisterRequest body) {
    RequestFields fields = new RequestFields();
    Platform platform = fields.parse(() -> Platform.fromWire("platform", body.platform()));
    RegistrationKind kind = fields.parse(() -> RegistrationKind.fromWire("kind", body.kind()));
    AppId appId = fields.parse(() -> AppId.of(body.appId()));
    DeviceToken token =
        platform == null ? null : fields.parse(() -> DeviceToken.of(platform, body.deviceToken()));
    ApnsEnvironment environment =
        body.apnsEnvironment() == null && platform != Platform.APNS
            ? null
            : fields.parse(
                () -> ApnsEnvironment.fromWire("apnsEnvironment", body.apnsEnvironment()));
    if (platform == Platform.FCM && environment != null) {
      fields.parse(
          () -> {
            throw new InvalidValueException(
                "apnsEnvironment", "applies only to APNs device tokens");
          });
    }
    if (kind == RegistrationKind.GRAPH && body.subscription() != null) {
      fields.parse(
          () -> {
            throw new InvalidValueException(
                "subscription",
                "applies only to ews registrations; bind the Microsoft Graph subscription with"
                    + " PUT /v1/registrations/{id}/graph-subscription");
          });
    }
    SubscriptionBinding binding =
        body.subscription() == null || kind == RegistrationKind.GRAPH
            ? null
            : fields.parse(() -> binding(body.subscription()));
    fields.check();
    // The store takes a new registration's secret from the service's repeatable identities (the
    // one derived from its id); a request still names one, for stores that draw ids at random.
    return new NewRegistration(
        owner,
        appId,
        environment,
        token,
        region,
        kind,
        binding,
        kind == RegistrationKind.GRAPH ? ClientState.generate().hash() : null,
        properties.lifetime());
  }

  /**
   * The Graph secret to answer a registering caller (who presented the device token): the one
   * derived from the registration's id, when the stored hash is its (not for a refreshed
   * registration made before secrets were derived).
   */
  private @Nullable ClientState clientStateOf(Registration registration) {
    if (registration.clientState() == null) {
      return null;
    }
    ClientState derived = secrets.clientState(registration.id());
    return registration.clientState().matches(derived.value()) ? derived : null;
  }

  /** Every field on its own, so that all bad ones are reported together. */
  private static SubscriptionBinding binding(@Nullable SubscriptionRequest body) {
    if (body == null) {
      throw new InvalidValueException("subscription", "is required");
    }
    RequestFields fields = new RequestFields();
    SubscriptionId subscriptionId = fields.parse(() -> SubscriptionId.of(body.subscriptionId()));
    FolderId inbox = fields.parse(() -> FolderId.of(body.inboxFolderId()));
    StatusFrequency frequency =
        fields.parse(
            () -> {
              if (body.statusFrequency() == null) {
                throw new InvalidValueException("statusFrequency", "is required");
              }
              return new StatusFrequency(body.statusFrequency());
            });
    fields.check();
    return SubscriptionBinding.of(subscriptionId, inbox, frequency);
  }

  private RegistrationResponse response(Registration registration) {
    return response(registration, null);
  }

  private RegistrationResponse response(Registration registration, @Nullable ClientState created) {
    return RegistrationResponse.of(registration, properties, created);
  }

  private StatusResponse statusOf(Registration registration, ListenerState state) {
    if (registration.kind() == RegistrationKind.GRAPH) {
      return graphStatusOf(registration, state);
    }
    SubscriptionBinding binding = registration.binding();
    String status;
    if (binding == null) {
      status = "unbound";
    } else if (state.subscriptionError()) {
      status = "subscription-error";
    } else if (state.isStale(clock.instant(), binding.statusFrequency(), registration.boundAt())) {
      status = "stale";
    } else {
      status = "active";
    }
    return new StatusResponse(
        response(registration),
        status,
        state.lastSeen(),
        state.lastPushOutcome(),
        state.lastPushAt(),
        null);
  }

  /**
   * A Graph registration's status, most urgent first: a removal Graph reported (for the bound
   * subscription, or after the last bind) means create a new subscription and bind it, even while
   * none is bound (the listener may have taken the removed one from a first notification); an
   * expiration passed without a renewal bound makes it stale (too late to renew: create one); a
   * reauthorization Graph asked for after the last bind means renew; a {@code missed} one is shown,
   * but the subscription still works.
   */
  private StatusResponse graphStatusOf(Registration registration, ListenerState state) {
    GraphSubscription bound = registration.graphSubscription();
    GraphLifecycle lifecycle = state.graphLifecycle();
    GraphLifecycle current =
        lifecycle != null
                && lifecycle.isCurrent(
                    registration.boundAt(), bound == null ? null : bound.subscriptionId())
            ? lifecycle
            : null;
    GraphLifecycleEvent event = current == null ? null : current.event();
    String status;
    if (event == GraphLifecycleEvent.SUBSCRIPTION_REMOVED) {
      status = event.statusName();
    } else if (bound == null) {
      status = "unbound";
    } else if (bound.isExpiredAt(clock.instant())) {
      status = "stale";
    } else if (event == GraphLifecycleEvent.REAUTHORIZATION_REQUIRED) {
      status = event.statusName();
    } else {
      status = "active";
    }
    return new StatusResponse(
        response(registration),
        status,
        state.lastSeen(),
        state.lastPushOutcome(),
        state.lastPushAt(),
        GraphStatusResponse.of(current));
  }
}
