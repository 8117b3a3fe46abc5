package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.CreateBatch;
import dev.agentmesh.sessions.spi.CreateOutcome;
import dev.agentmesh.sessions.spi.RowWrite;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Sessions#startAll}: many sessions created through one {@link
 * dev.agentmesh.sessions.spi.SessionStore#createAll}, each with its rows in the same transaction as
 * its first event; a start whose key is taken creates nothing and the others go on.
 */
final class BatchStart {

  /** One start, ready to store: the session's id, first event and rows. */
  record Item(String id, SessionEvent.Created created, List<RowWrite> rows) {}

  private BatchStart() {}

  static List<StartOutcome> run(Sessions sessions, FoldedLogs logs, List<Item> items) {
    List<Append> appends = new ArrayList<>(items.size());
    List<SessionFold> folds = new ArrayList<>(items.size());
    for (Item item : items) {
      SessionFold fold = SessionFold.empty(item.id()).apply(item.created());
      folds.add(fold);
      appends.add(
          Append.of(item.id(), 0, List.of(logs.codec().encode(item.created())), fold.summary())
              .withRows(item.rows()));
    }
    List<CreateOutcome> outcomes =
        appends.isEmpty() ? List.of() : logs.store().createAll(CreateBatch.of(appends));
    List<StartOutcome> started = new ArrayList<>(outcomes.size());
    for (int i = 0; i < outcomes.size(); i++) {
      CreateOutcome outcome = outcomes.get(i);
      if (outcome.created()) {
        SessionFold fold = folds.get(i);
        // held from its creation until its drive holds it: the bounded cache may turn a burst away
        logs.hold(fold.id());
        try {
          logs.created(fold, List.of(new LoggedEvent(fold.id(), 1, items.get(i).created())));
          sessions.drive(fold.id());
        } finally {
          logs.release(fold.id());
        }
        started.add(new StartOutcome(new Session(sessions, logs, fold.id()), true));
      } else {
        String holder = outcome.takenBy();
        started.add(
            new StartOutcome(holder == null ? null : new Session(sessions, logs, holder), false));
      }
    }
    return started;
  }
}
