package dev.inboxpush.listener.graph;

import java.util.List;

/**
 * A parsed Graph notification POST: its items in order (several subscriptions may share one POST).
 *
 * @param items at least one
 */
public record GraphBatch(List<GraphItem> items) {

  public GraphBatch {
    items = List.copyOf(items);
  }
}
