package dev.inboxpush.listener.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Graph payloads of the README's walk-through ({@code local/examples/graph-*.json}, posted with
 * curl to a local stack after their {@code CLIENT-STATE} placeholder is replaced) run through the
 * real parser, so that an example that stops parsing, or stops saying what the README says, fails
 * here. The walk-through binds {@value #SUBSCRIPTION} literally.
 */
class LocalGraphExamplesTests {

  private static final Path EXAMPLES = Path.of("../local/examples");
  private static final String SUBSCRIPTION = "8e4f6a2c-1b3d-4e5f-9a7b-0c1d2e3f4a5b";

  private final GraphNotificationParser parser = new GraphNotificationParser();

  private GraphBatch parse(String file) throws Exception {
    return parser.parse(Files.readAllBytes(EXAMPLES.resolve(file)));
  }

  @Test
  void newMailIsACreatedAndAnUpdatedMessageOfTheExampleSubscription() throws Exception {
    GraphBatch batch = parse("graph-new-mail.json");

    assertThat(batch.items())
        .extracting(GraphItem::subscriptionId, GraphItem::clientState, GraphItem::changeType)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(SUBSCRIPTION, "CLIENT-STATE", "created"),
            org.assertj.core.groups.Tuple.tuple(SUBSCRIPTION, "CLIENT-STATE", "updated"));
    assertThat(batch.items()).noneMatch(GraphItem::isLifecycle);
  }

  @Test
  void subscriptionRemovedIsOneLifecycleItem() throws Exception {
    GraphBatch batch = parse("graph-subscription-removed.json");

    assertThat(batch.items()).hasSize(1);
    GraphItem item = batch.items().get(0);
    assertThat(item.isLifecycle()).isTrue();
    assertThat(item.lifecycleEvent()).isEqualTo("subscriptionRemoved");
    assertThat(item.subscriptionId()).isEqualTo(SUBSCRIPTION);
    assertThat(item.clientState()).isEqualTo("CLIENT-STATE");
  }
}
