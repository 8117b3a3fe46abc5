package dev.agentmesh.review;

import dev.agentmesh.review.notify.Notification;
import dev.agentmesh.review.notify.Provenance;
import dev.agentmesh.review.notify.Recipient;
import dev.agentmesh.review.notify.RenderedSurfaces;
import dev.agentmesh.sessions.Session;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Composes a notification from the review as its session's log has it when it is delivered. */
final class ReviewNotifications {

  private final Engine engine;

  ReviewNotifications(Engine engine) {
    this.engine = engine;
  }

  /** The notification an outbox row asks for; empty once its session or review is gone. */
  Optional<Notification> compose(ReviewOutbox.Item item) {
    String reviewId = item.reviewId();
    if (reviewId == null) {
      return Optional.empty();
    }
    Optional<Session> session = engine.bound().sessions().find(item.sessionId());
    String local = ReviewFold.localOf(reviewId);
    @Nullable ReviewState review =
        session.isEmpty() || local == null
            ? null
            : engine.reviews(session.get().state()).get(local);
    if (review == null) {
      return Optional.empty();
    }
    String agent = review.provenance().agent();
    Notification.Builder n =
        Notification.builder(item.kind(), item.id())
            .title(Texts.truncate(heading(item) + review.title(), 300))
            .surfaces(RenderedSurfaces.of(engine.types, review.artifact()))
            .provenance(
                new Provenance(
                    review.id(), review.hash(), review.sessionId(), agent, review.risk()));
    engine.policy.recipients(review).forEach(n::recipient);
    if (item.kind() == Notification.Kind.ESCALATED && item.detail() != null) {
      n.recipient(Recipient.reviewer(item.detail()));
    }
    return Optional.of(n.build());
  }

  private static String heading(ReviewOutbox.Item item) {
    String detail = item.detail() == null ? "" : item.detail();
    switch (item.kind()) {
      case REVIEW_REQUESTED:
        return "Review requested: ";
      case DECIDED:
        return "Decided (" + detail.toLowerCase(java.util.Locale.ROOT) + "): ";
      case EXPIRED:
        return "Expired (" + detail.toLowerCase(java.util.Locale.ROOT) + "): ";
      case ESCALATED:
        return "Escalated to " + detail + ": ";
      case SESSION_FAILED:
        return "Effect failed (" + Texts.truncate(detail, 120) + "): ";
      default:
        return "";
    }
  }
}
