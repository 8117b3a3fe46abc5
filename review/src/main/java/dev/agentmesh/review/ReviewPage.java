package dev.agentmesh.review;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a {@link ReviewQuery}'s result, in queue order (risk, highest first, then age, oldest
 * first). A page may hold fewer reviews than the limit and still have a next cursor when a filter
 * the queue's lists do not cover skipped many reviews; an empty page with a cursor is possible
 * then. Only a null cursor means the end.
 *
 * <pre>{@code
 * for (ReviewPage page = queue.pending(query); ;
 *     page = queue.pending(query.newBuilder().cursor(page.nextCursor()).build())) {
 *   page.reviews().forEach(inbox::show);
 *   if (!page.hasMore()) break;
 * }
 * }</pre>
 *
 * @param reviews the pending reviews of this page, in queue order
 * @param nextCursor pass to {@link ReviewQuery.Builder#cursor(String)} for the next page; null when
 *     the queue has no more
 */
public record ReviewPage(List<PendingReview> reviews, @Nullable String nextCursor) {

  /**
   * Copies the reviews into an immutable list.
   *
   * @param reviews the pending reviews of this page, in queue order
   * @param nextCursor the next page's cursor, or null at the end
   */
  public ReviewPage {
    reviews = List.copyOf(reviews);
  }

  /**
   * Whether another page may follow.
   *
   * @return true if {@link #nextCursor()} is set
   */
  public boolean hasMore() {
    return nextCursor != null;
  }
}
