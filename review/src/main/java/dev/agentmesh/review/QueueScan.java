package dev.agentmesh.review;

import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Walks one or more queue lists (key prefixes, see {@link QueueRows}) in position order, merged:
 * each list is read by key range in pages ({@link SessionStore#queryRows}), a review listed in
 * several (a reviewer's own list and a group's) comes once, risk and age bounds end or skip a
 * list's ranges, and the remaining filter runs in memory. Not thread-safe; one per page request.
 */
final class QueueScan {

  private final List<Source> sources = new ArrayList<>();
  private final Predicate<PendingReview> filter;
  private final int maxScanned;
  private @Nullable String position;
  private int scanned;

  /**
   * @param store the store to read
   * @param lists the lists to merge, as key prefixes
   * @param filter what a listed review must also pass
   * @param maxRank the highest rank (lowest risk) to list
   * @param before the fixed-width {@code proposedAt} reviews must be older than, or null
   * @param start the position to start after, or null
   * @param fetch how many rows one read of one list asks for
   * @param maxScanned after how many rows read the scan stops, matching or not
   */
  QueueScan(
      SessionStore store,
      List<String> lists,
      Predicate<PendingReview> filter,
      int maxRank,
      @Nullable String before,
      @Nullable String start,
      int fetch,
      int maxScanned) {
    for (String list : lists) {
      sources.add(new Source(store, list, maxRank, before, start, fetch));
    }
    this.filter = filter;
    this.maxScanned = maxScanned;
    this.position = start;
  }

  /**
   * The next review after {@link #position()} that passes the filter, or null when the lists are at
   * their end ({@link #exhausted()}) or the scan read its maximum.
   */
  @Nullable PendingReview next() {
    while (scanned < maxScanned) {
      Source least = least();
      if (least == null) {
        return null;
      }
      Entry entry = least.pop();
      position = entry.position();
      scanned++;
      PendingReview review = QueueRows.read(entry.row());
      if (filter.test(review)) {
        return review;
      }
    }
    return null;
  }

  /** The position of the last review read (matching or not), or the start. */
  @Nullable String position() {
    return position;
  }

  /** Whether every list is read to its end. */
  boolean exhausted() {
    return least() == null;
  }

  /**
   * The list whose next review comes first, after dropping heads at the current position (the
   * review just read, through another list); null when every list is at its end.
   */
  private @Nullable Source least() {
    while (true) {
      Source least = null;
      for (Source s : sources) {
        String head = s.head();
        if (head != null
            && (least == null || RowQuery.compareKeys(head, least.headPosition()) < 0)) {
          least = s;
        }
      }
      if (least == null || !least.headPosition().equals(position)) {
        return least;
      }
      least.pop(); // the same review through another list
    }
  }

  private record Entry(String position, Row row) {}

  /** One list, read ahead by pages. */
  private static final class Source {
    private final SessionStore store;
    private final String list;
    private final int maxRank;
    private final @Nullable String before;
    private final int fetch;
    private final ArrayDeque<Entry> buffer = new ArrayDeque<>();
    private @Nullable String after;
    private boolean done;

    Source(
        SessionStore store,
        String list,
        int maxRank,
        @Nullable String before,
        @Nullable String start,
        int fetch) {
      this.store = store;
      this.list = list;
      this.maxRank = maxRank;
      this.before = before;
      this.fetch = fetch;
      this.after = start == null ? null : list + start;
    }

    @Nullable String head() {
      while (buffer.isEmpty() && !done) {
        read();
      }
      Entry first = buffer.peekFirst();
      return first == null ? null : first.position();
    }

    String headPosition() {
      Entry first = buffer.peekFirst();
      if (first == null) {
        throw new IllegalStateException("head() first");
      }
      return first.position();
    }

    Entry pop() {
      return buffer.removeFirst();
    }

    private void read() {
      RowQuery.Builder query = RowQuery.builder(QueueRows.NAMESPACE).keyPrefix(list).limit(fetch);
      if (after != null) {
        query.afterKey(after);
      }
      List<Row> rows = store.queryRows(query.build());
      for (Row row : rows) {
        String position = row.key().substring(list.length());
        int rank = QueueRows.rankOf(position);
        if (rank > maxRank) {
          done = true; // lower risks follow: none listed
          return;
        }
        if (before != null && QueueRows.proposedAtOf(position).compareTo(before) >= 0) {
          // the rest of this rank is younger than the bound: go on at the next rank
          if (rank >= maxRank) {
            done = true;
          } else {
            after = QueueRows.afterRank(list, rank);
          }
          return;
        }
        buffer.addLast(new Entry(position, row));
        after = row.key();
      }
      if (rows.size() < fetch) {
        done = true;
      }
    }
  }
}
