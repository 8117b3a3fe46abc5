package dev.agentmesh.review;

import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowWrite;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The row writes that keep the review queue in step with the session logs. The engine adds them to
 * the appends that change what is pending: {@link #opened} to a proposal's append, {@link #closed}
 * to the append of the final decision, the supersession or the expiry, {@link #reassigned} to an
 * escalation's. Written in the same transaction as the events, the queue never disagrees with the
 * logs: a review is listed exactly while its session's log says it is pending. Deleting or purging
 * a session deletes its queue rows too (they carry its session id).
 *
 * <pre>{@code
 * store.append(Append.of(sessionId, version, List.of(proposed), summary)
 *     .withRows(ReviewIndex.opened(pending)));
 * // ... later, with the decision's event:
 * store.append(Append.of(sessionId, later, List.of(decided), summary2)
 *     .withRows(ReviewIndex.closed(pending)));
 * }</pre>
 *
 * <p>A review has {@code 3 + reviewers + groups} rows in namespace {@value #NAMESPACE}, each
 * holding the whole {@link PendingReview}: one by id, one in each eligible reviewer's and group's
 * list and one in the list of every review (all ordered by risk, then age), and one in its agent
 * and type's list. Read them with {@link ReviewQueue}. The methods are pure and thread-safe.
 */
public final class ReviewIndex {

  /** The namespace of the queue's rows in the session store. */
  public static final String NAMESPACE = QueueRows.NAMESPACE;

  private ReviewIndex() {}

  /**
   * The rows that list {@code review} as pending, for the proposal's append. The by-id row is an
   * {@link RowWrite#insert insert}, so an id already pending in the store fails that append with a
   * {@link dev.agentmesh.sessions.spi.RowConflictException}.
   *
   * @param review the pending review
   * @return the writes, in a stable order
   */
  public static List<RowWrite> opened(PendingReview review) {
    Objects.requireNonNull(review, "review");
    List<Row> rows = QueueRows.rows(review);
    List<RowWrite> writes = new ArrayList<>(rows.size());
    writes.add(RowWrite.insert(rows.get(0)));
    for (Row row : rows.subList(1, rows.size())) {
      writes.add(RowWrite.upsert(row));
    }
    return List.copyOf(writes);
  }

  /**
   * The deletes that take {@code review} off the queue, for the append of its final decision, its
   * supersession or its expiry. Pass the review as it was last {@link #opened} or {@link
   * #reassigned} (its lists follow from it). Deleting is idempotent: a row already gone is no
   * conflict.
   *
   * @param review the review as indexed
   * @return the writes, in a stable order
   */
  public static List<RowWrite> closed(PendingReview review) {
    Objects.requireNonNull(review, "review");
    return QueueRows.rows(review).stream()
        .map(row -> RowWrite.delete(row.namespace(), row.key()))
        .toList();
  }

  /**
   * The writes that move a pending review from {@code before} to {@code after}, for an escalation's
   * append (other reviewers or groups, another risk): rows only {@code before} had are deleted,
   * {@code after}'s rows written.
   *
   * @param before the review as indexed
   * @param after the review as it is now
   * @return the writes, in a stable order
   * @throws IllegalArgumentException if the two are not the same review of the same session
   */
  public static List<RowWrite> reassigned(PendingReview before, PendingReview after) {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    if (!before.reviewId().equals(after.reviewId())
        || !before.sessionId().equals(after.sessionId())) {
      throw new IllegalArgumentException(
          "reassigned moves one review but got '"
              + before.reviewId()
              + "' (session '"
              + before.sessionId()
              + "') and '"
              + after.reviewId()
              + "' (session '"
              + after.sessionId()
              + "'); close the one and open the other instead");
    }
    List<Row> next = QueueRows.rows(after);
    Set<String> nextKeys = new HashSet<>();
    next.forEach(row -> nextKeys.add(row.key()));
    List<RowWrite> writes = new ArrayList<>();
    for (Row row : QueueRows.rows(before)) {
      if (!nextKeys.contains(row.key())) {
        writes.add(RowWrite.delete(row.namespace(), row.key()));
      }
    }
    next.forEach(row -> writes.add(RowWrite.upsert(row)));
    return List.copyOf(writes);
  }
}
