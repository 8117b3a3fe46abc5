package dev.agentmesh.sessions.spi;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a {@link SessionQuery}'s result.
 *
 * @param sessions the sessions of this page, in query order
 * @param nextCursor pass to {@link SessionQuery.Builder#after(String)} for the next page; null when
 *     this is the last page
 */
public record SessionPage(List<SessionSummary> sessions, @Nullable String nextCursor) {

  /**
   * Copies the sessions into an immutable list.
   *
   * @param sessions the sessions of this page, in query order
   * @param nextCursor pass to {@link SessionQuery.Builder#after(String)} for the next page; null
   *     when this is the last page
   */
  public SessionPage {
    sessions = List.copyOf(sessions);
  }

  /**
   * The page for {@code query} from {@code fetched}: the matching sessions after the query's
   * cursor, in query order, of which a store fetched up to {@code query.limit() + 1} so that the
   * extra one tells whether another page follows.
   *
   * @param query the query the page answers
   * @param fetched the sessions a store read for it, in query order
   * @return the page, with a cursor when more may follow
   */
  public static SessionPage of(SessionQuery query, List<SessionSummary> fetched) {
    if (fetched.size() <= query.limit()) {
      return new SessionPage(fetched, null);
    }
    List<SessionSummary> page = fetched.subList(0, query.limit());
    SessionSummary last = page.get(page.size() - 1);
    return new SessionPage(page, Cursors.encode(last.createdAt(), last.id()));
  }
}
