package dev.inboxpush.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.model.Region;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three regions side by side over one dynalite (the Global Table): each region's registration
 * service hands out callback URLs on its own listener, and a registration made in one region is
 * served by another region's listener and seen by a third region's registration API, as after a
 * failover.
 */
class ThreeRegionsIT {

  private static final String INBOX = "AAMkAGthreeRegionsInbox=";

  private static LocalStack stack;
  private static StackClient client;

  @BeforeAll
  static void start() {
    stack =
        LocalStack.start(
            StackOptions.defaults(Checkout.root())
                .withDataRoot(Checkout.dataFolder("three-regions-it"))
                .withFresh(true)
                .withRegions(List.of(Region.values()), true));
    client = new StackClient(stack);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void everyRegionRunsBothServicesOnItsOwnLoopbackPortsAndHandsOutItsOwnListener()
      throws Exception {
    assertThat(stack.parts())
        .extracting(LocalStack.Part::name)
        .containsExactly(
            "dynalite",
            "auth",
            "push",
            "registration us-east-1",
            "listener us-east-1",
            "registration eu-west-1",
            "listener eu-west-1",
            "registration ap-southeast-1",
            "listener ap-southeast-1");
    ListeningSockets.assertLoopbackOnly(stack.parts());
    String token = client.scriptToken();
    for (Region region : Region.values()) {
      Map<String, Object> registration =
          client.registerApns(stack.registrationUrl(region), token, hexToken(region.ordinal()));
      assertThat(registration).containsEntry("region", region.code());
      assertThat((String) registration.get("callbackUrl"))
          .startsWith(stack.listenerUrl(region) + "/ews/v1/");
    }
  }

  @Test
  void aRegistrationOfOneRegionIsServedByAnotherRegionsListenerAndSeenByAThirdsApi() {
    String token = client.scriptToken();
    String device = hexToken(9);
    Map<String, Object> registration =
        client.registerApns(stack.registrationUrl(Region.US_EAST_1), token, device);
    String id = (String) registration.get("registrationId");
    client.bind(stack.registrationUrl(Region.US_EAST_1), token, id, "sub-three", INBOX);

    URI usCallback = URI.create((String) registration.get("callbackUrl"));
    URI viaEurope = stack.listenerUrl(Region.EU_WEST_1).resolve(usCallback.getPath());
    byte[] newMail =
        EwsPayloads.notification("sub-three")
            .newMail("item-1", INBOX)
            .folderModified(INBOX, 2)
            .build();
    assertThat(client.notify(viaEurope, newMail)).isEqualTo("OK");
    awaitAcceptedPush(device, 2);

    HttpResponse<String> fromAsia =
        client.getRegistration(stack.registrationUrl(Region.AP_SOUTHEAST_1), token, id);
    assertThat(fromAsia.statusCode()).as(fromAsia.body()).isEqualTo(200);
    assertThat(fromAsia.body()).contains("\"lastPushOutcome\"");
  }

  private static String hexToken(int seed) {
    return String.format("%064x", 0xabc000L + seed);
  }

  private static void awaitAcceptedPush(String device, int badge) {
    client.awaitPush(
        stack.inspectorUrl(),
        row ->
            device.equals(row.get("token"))
                && Boolean.TRUE.equals(row.get("accepted"))
                && StackClient.badge(row) == badge);
  }
}
