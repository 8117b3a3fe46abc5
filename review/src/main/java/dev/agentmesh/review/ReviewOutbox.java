package dev.agentmesh.review;

import dev.agentmesh.review.notify.Deliveries;
import dev.agentmesh.review.notify.DeliveryRecord;
import dev.agentmesh.review.notify.Notification;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowConflictException;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The durable side of notifications: one row of {@value #NAMESPACE} per notification and notifier,
 * written in the same append as the review event it tells of, due at its next attempt. The sweep
 * claims due rows (a dead node's claims expire, like the sessions' timers), and each attempt runs
 * on the delivery executor through {@link Deliveries#attempt}, whose {@link
 * dev.agentmesh.review.notify.DeliveryRetryPolicy} says when to try again: the row is then moved to
 * that time (an upsert, which drops the claim), or deleted once delivered or given up. So a failing
 * or slow notifier never fails or delays a review, and a retry survives restarts. Deliveries are at
 * least once: a node that dies after the channel accepted and before the row was deleted leaves it
 * to be sent again with the same notification id (the channels' idempotency key).
 */
final class ReviewOutbox {

  static final String NAMESPACE = "review.notify";
  private static final int BATCH = 100;
  private static final Logger log = LoggerFactory.getLogger(ReviewOutbox.class);

  /**
   * What a row asks for.
   *
   * @param id the notification's id, the same on every attempt
   * @param kind its kind
   * @param sessionId the session it tells of
   * @param reviewId the review it tells of, or null
   * @param detail a line of detail (a reason, an escalation target), or null
   */
  record Item(
      String id,
      Notification.Kind kind,
      String sessionId,
      @Nullable String reviewId,
      @Nullable String detail) {}

  private final SessionStore store;
  private final Deliveries deliveries;
  private final Function<Item, Optional<Notification>> compose;
  private final String nodeId;
  private final Duration claimTtl;
  private final Clock clock;
  private final Executor executor;

  ReviewOutbox(
      SessionStore store,
      Deliveries deliveries,
      Function<Item, Optional<Notification>> compose,
      String nodeId,
      Duration claimTtl,
      Clock clock,
      Executor executor) {
    this.store = store;
    this.deliveries = deliveries;
    this.compose = compose;
    this.nodeId = nodeId;
    this.claimTtl = claimTtl;
    this.clock = clock;
    this.executor = executor;
  }

  /** The rows that ask every notifier for {@code item} now; written with the event it tells of. */
  List<RowWrite> enqueue(Item item, Instant now) {
    List<RowWrite> writes = new ArrayList<>();
    for (String notifier : deliveries.notifierNames()) {
      writes.add(RowWrite.upsert(row(item, notifier, 1, now)));
    }
    return writes;
  }

  /** Claims the deliveries due now and attempts each on the executor; returns how many. */
  int deliverDue() {
    List<Row> due = store.claimRows(NAMESPACE, nodeId, clock.instant(), claimTtl, BATCH);
    for (Row row : due) {
      executor.execute(() -> attempt(row));
    }
    return due.size();
  }

  private void attempt(Row row) {
    try {
      JsonNode v = row.value();
      Item item = ReviewEvents.read(v.get("item"), Item.class);
      String notifier = v.get("notifier").asString();
      int attempt = v.get("attempt").asInt();
      Optional<Notification> notification = compose.apply(item);
      if (notification.isEmpty()) {
        done(row); // its session or review is gone: nothing left to tell
        return;
      }
      DeliveryRecord record = deliveries.attempt(notifier, notification.get(), attempt);
      if (record.outcome() == DeliveryRecord.Outcome.RETRYING) {
        Instant next = Objects.requireNonNull(record.nextAttempt());
        store.writeRows(List.of(RowWrite.upsert(row(item, notifier, attempt + 1, next))));
      } else {
        done(row);
      }
    } catch (RuntimeException e) {
      log.warn(
          "Notification {} could not be attempted on node {}; it is tried again once this "
              + "node's claim expires",
          row.key(),
          nodeId,
          e);
    }
  }

  private void done(Row row) {
    try {
      store.writeRows(List.of(RowWrite.deleteExisting(NAMESPACE, row.key()).claimedBy(nodeId)));
    } catch (RowConflictException elsewhere) {
      log.debug("Notification {} was taken over by another node meanwhile", row.key());
    }
  }

  private static Row row(Item item, String notifier, int attempt, Instant due) {
    ObjectNode value = ReviewEvents.MAPPER.createObjectNode();
    value.set("item", ReviewEvents.toJson(item));
    value.put("notifier", notifier);
    value.put("attempt", attempt);
    return Row.of(NAMESPACE, item.id() + "|" + notifier, item.sessionId(), value).withDue(due);
  }
}
