package dev.agentmesh.sessions.spi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Many sessions to create at once, each with the rows that must be stored with it ({@link
 * SessionStore#createAll}): a trigger's occurrences claimed in one statement, each created with its
 * session.
 *
 * <pre>{@code
 * CreateBatch batch = CreateBatch.of(List.of(
 *     Append.of("s-1", 0, List.of(created1), summary1)
 *         .withRows(RowWrite.insert(Row.of("triggers.claim", "daily@...09:00Z", null, claim1))),
 *     Append.of("s-2", 0, List.of(created2), summary2)
 *         .withRows(RowWrite.insert(Row.of("triggers.claim", "hourly@...09:00Z", null, claim2)))));
 * List<CreateOutcome> outcomes = store.createAll(batch); // a taken key skips that item only
 * }</pre>
 *
 * <p>Each item is an {@link Append} that creates its session (expected version 0, no lease) with
 * rows that are {@link RowWrite#insert inserts} or {@link RowWrite#delete deletes} (no upsert, no
 * conditional delete: what decides whether an item is created is whether its inserts find their
 * keys free). Session ids and inserted keys are each distinct within the batch. Immutable.
 */
public final class CreateBatch {

  /** The most items one batch may hold. */
  public static final int MAX_ITEMS = 50_000;

  private final List<Append> items;

  private CreateBatch(List<Append> items) {
    this.items = items;
  }

  /**
   * A batch of the given creating appends, checked.
   *
   * @param items the appends, each creating one session
   * @return the batch
   * @throws IllegalArgumentException if an item does not create a session (expected version not 0,
   *     fenced), has a row write other than insert or delete, or repeats a session id or an
   *     inserted key of another item, or the batch has more than {@value #MAX_ITEMS} items
   */
  public static CreateBatch of(List<Append> items) {
    Objects.requireNonNull(items, "items");
    if (items.size() > MAX_ITEMS) {
      throw new IllegalArgumentException(
          "A batch holds at most "
              + MAX_ITEMS
              + " sessions but had "
              + items.size()
              + "; split it");
    }
    Set<String> ids = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (Append item : items) {
      Objects.requireNonNull(item, "items must not contain null");
      if (item.expectedVersion() != 0 || item.lease() != null) {
        throw new IllegalArgumentException(
            "Every item of a batch creates its session (expected version 0, no lease) but "
                + item
                + " does not; append to existing sessions one by one");
      }
      if (!ids.add(item.sessionId())) {
        throw new IllegalArgumentException(
            "Session '" + item.sessionId() + "' is created twice in one batch; give each its id");
      }
      for (RowWrite w : item.rows()) {
        checkWrite(item, w, keys);
      }
    }
    return new CreateBatch(List.copyOf(items));
  }

  private static void checkWrite(Append item, RowWrite w, Set<String> keys) {
    if (w.kind() != RowWrite.Kind.INSERT && w.kind() != RowWrite.Kind.DELETE) {
      throw new IllegalArgumentException(
          "A batch item's rows are inserts or deletes, but session '"
              + item.sessionId()
              + "' has "
              + w
              + "; create it alone with SessionStore.append");
    }
    if (w.kind() == RowWrite.Kind.INSERT && !keys.add(w.namespace() + "\n" + w.key())) {
      throw new IllegalArgumentException(
          "Row '"
              + w.namespace()
              + "' / '"
              + w.key()
              + "' is inserted by two items of one batch; at most one can have it");
    }
  }

  /**
   * The items, in the order given.
   *
   * @return the creating appends
   */
  public List<Append> items() {
    return items;
  }

  /**
   * The row inserts of {@code item}.
   *
   * @param item an item of this batch
   * @return its inserts, in order
   */
  public static List<Row> inserts(Append item) {
    List<Row> out = new ArrayList<>();
    for (RowWrite w : item.rows()) {
      if (w.kind() == RowWrite.Kind.INSERT) {
        out.add(Objects.requireNonNull(w.row()));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "CreateBatch{items=" + items.size() + "}";
  }
}
