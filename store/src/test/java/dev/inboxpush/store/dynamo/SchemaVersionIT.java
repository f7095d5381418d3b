package dev.inboxpush.store.dynamo;

import static dev.inboxpush.store.dynamo.StoreFixture.apnsToken;
import static dev.inboxpush.store.dynamo.StoreFixture.await;
import static dev.inboxpush.store.dynamo.StoreFixture.owner;
import static dev.inboxpush.store.dynamo.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationKind;
import dev.inboxpush.model.StatusFrequency;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.model.Watermark;
import dev.inboxpush.store.CallbackTarget;
import dev.inboxpush.store.ListenerStateUpdate;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Two versions at once against one table (a rolling upgrade, or regions on different releases):
 * every item this version writes carries its schema version; items of the layout before it (no
 * version, no kind, bound without a bind time) are read and updated as they were meant; and items
 * of a later layout (a higher version, attributes this one does not know) are read, and keep what
 * this version does not know when it updates them.
 */
@ExtendWith(DynaliteExtension.class)
class SchemaVersionIT {

  static final AttributeValue CURRENT = AttributeValue.fromN("1");

  private StoreFixture fixture;

  @BeforeEach
  void openStore(Dynalite dynalite) {
    fixture = new StoreFixture(dynalite);
  }

  @AfterEach
  void closeStore() {
    fixture.close();
  }

  private static SubscriptionBinding binding(String subscription) {
    return new SubscriptionBinding(
        SubscriptionId.of(subscription), FolderId.of("AQMkInbox="), new StatusFrequency(30));
  }

  private Map<String, AttributeValue> item(Registration registration, String sortKey) {
    return fixture
        .raw
        .getItem(
            g ->
                g.tableName(fixture.settings.tableName())
                    .consistentRead(true)
                    .key(
                        Map.of(
                            TableLayout.PK,
                            AttributeValue.fromS("REG#" + registration.id().value()),
                            TableLayout.SK,
                            AttributeValue.fromS(sortKey))))
        .join()
        .item();
  }

  private void replace(Map<String, AttributeValue> item) {
    fixture.raw.putItem(p -> p.tableName(fixture.settings.tableName()).item(item)).join();
  }

  private Registration registerWithState() {
    Registration registration =
        await(
                fixture
                    .store
                    .registrations()
                    .register(request(owner(), apnsToken(), binding("sub-1"))))
            .registration();
    await(
        fixture
            .store
            .listenerState()
            .update(
                registration.id(),
                new ListenerStateUpdate()
                    .watermark(SubscriptionId.of("sub-1"), Watermark.of("AQAAAone=="))
                    .unreadCount(4)
                    .unconditionally()));
    return registration;
  }

  @Test
  void everyItemThisVersionWritesCarriesItsSchemaVersion() {
    registerWithState();

    List<Map<String, AttributeValue>> items = fixture.allItems();
    assertThat(items).hasSizeGreaterThanOrEqualTo(3); // registration, state, device claim, pointer
    for (Map<String, AttributeValue> item : items) {
      assertThat(item.get(TableLayout.ATTR_SCHEMA_VERSION))
          .as("%s/%s", item.get(TableLayout.PK).s(), item.get(TableLayout.SK).s())
          .isEqualTo(CURRENT);
    }
  }

  @Test
  void anItemOfTheEarlierLayoutIsReadAsItWasMeantAndUpdatedIntoThisOne() {
    Registration registration = registerWithState();
    Map<String, AttributeValue> earlier = new HashMap<>(item(registration, "REGISTRATION"));
    earlier.remove(TableLayout.ATTR_SCHEMA_VERSION);
    earlier.remove(TableLayout.ATTR_KIND);
    earlier.remove(TableLayout.ATTR_BOUND_AT);
    replace(earlier);
    Map<String, AttributeValue> earlierState = new HashMap<>(item(registration, "LISTENER"));
    earlierState.remove(TableLayout.ATTR_SCHEMA_VERSION);
    replace(earlierState);

    CallbackTarget target =
        await(fixture.store.registrations().findTarget(registration.callbackToken()));
    assertThat(target.registration().kind()).isEqualTo(RegistrationKind.EWS);
    assertThat(target.registration().binding()).isEqualTo(registration.binding());
    assertThat(target.registration().boundAt())
        .as("bound before boundAt existed: at its last update")
        .isEqualTo(target.registration().updatedAt());
    assertThat(target.state().lastUnreadCount()).isEqualTo(4);

    await(
        fixture
            .store
            .registrations()
            .refresh(registration.owner(), registration.id(), Duration.ofDays(30)));
    await(
        fixture
            .store
            .listenerState()
            .update(registration.id(), new ListenerStateUpdate().unreadCount(5).unconditionally()));
    assertThat(item(registration, "REGISTRATION").get(TableLayout.ATTR_SCHEMA_VERSION))
        .isEqualTo(CURRENT);
    assertThat(item(registration, "LISTENER").get(TableLayout.ATTR_SCHEMA_VERSION))
        .isEqualTo(CURRENT);
    assertThat(await(fixture.store.listenerState().find(registration.id())).lastUnreadCount())
        .isEqualTo(5);
  }

  @Test
  void anItemOfALaterLayoutIsReadAndKeepsWhatThisVersionDoesNotKnow() {
    Registration registration = registerWithState();
    AttributeValue unknown = AttributeValue.fromS("written by a later version");
    for (String sortKey : List.of("REGISTRATION", "LISTENER")) {
      Map<String, AttributeValue> later = new HashMap<>(item(registration, sortKey));
      later.put(TableLayout.ATTR_SCHEMA_VERSION, AttributeValue.fromN("2"));
      later.put("aLaterAttribute", unknown);
      replace(later);
    }

    CallbackTarget target =
        await(fixture.store.registrations().findTarget(registration.callbackToken()));
    assertThat(target.registration().id()).isEqualTo(registration.id());
    assertThat(target.state().lastWatermark()).isEqualTo(Watermark.of("AQAAAone=="));

    // This version's writes: a re-registration, a rebind, a listener-state update.
    await(
        fixture
            .store
            .registrations()
            .register(request(registration.owner(), registration.deviceToken(), binding("sub-1"))));
    await(
        fixture
            .store
            .registrations()
            .bind(registration.owner(), registration.id(), binding("sub-2")));
    await(
        fixture
            .store
            .listenerState()
            .update(
                registration.id(),
                new ListenerStateUpdate()
                    .watermark(SubscriptionId.of("sub-2"), Watermark.of("AQAAAtwo=="))
                    .unconditionally()));

    for (String sortKey : List.of("REGISTRATION", "LISTENER")) {
      Map<String, AttributeValue> after = item(registration, sortKey);
      assertThat(after.get("aLaterAttribute")).as(sortKey).isEqualTo(unknown);
    }
    assertThat(await(fixture.store.registrations().findById(registration.id())).binding())
        .isEqualTo(binding("sub-2"));
  }
}
