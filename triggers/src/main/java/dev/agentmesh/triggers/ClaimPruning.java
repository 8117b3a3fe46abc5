package dev.agentmesh.triggers;

import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The retention of claims: each claim row is due (its {@code due} column) at its scheduled instant
 * plus the retention, and a pass claims up to a batch of due claims ({@link
 * SessionStore#claimRows}, so nodes pruning at once take different rows) and deletes them, except
 * each trigger's last claim, which is where a restarted node's catch-up starts: that one is kept
 * and looked at again one retention later.
 */
final class ClaimPruning {

  /** How long a node holds the claims it is pruning. */
  static final Duration HOLD = Duration.ofMinutes(1);

  private ClaimPruning() {}

  /** The default retention: a day, or the longest catch-up reach plus an hour if longer. */
  static Duration defaultRetention(Collection<TriggerDefinition> definitions) {
    Duration reach = longestReach(definitions).plusHours(1);
    return reach.compareTo(Duration.ofDays(1)) > 0 ? reach : Duration.ofDays(1);
  }

  /** How far back any of {@code definitions} may still claim an occurrence: window plus jitter. */
  static Duration longestReach(Collection<TriggerDefinition> definitions) {
    Duration longest = Duration.ZERO;
    for (TriggerDefinition def : definitions) {
      Duration reach = reach(def.catchUp()).plus(def.jitter().max());
      if (reach.compareTo(longest) > 0) {
        longest = reach;
      }
    }
    return longest;
  }

  private static Duration reach(CatchUpPolicy policy) {
    if (policy instanceof CatchUpPolicy.AllWithin within) {
      return within.window();
    }
    if (policy instanceof CatchUpPolicy.None none) {
      return none.grace();
    }
    return Duration.ZERO; // latest(): only occurrences after the last claim, which is kept
  }

  /**
   * One bounded pass at {@code now}: deletes up to {@code limit} claims due for pruning; returns
   * how many it deleted.
   */
  static int prune(SessionStore store, String node, Instant now, Duration retention, int limit) {
    List<Row> due = store.claimRows(ClaimRows.CLAIMS, node, now, HOLD, limit);
    if (due.isEmpty()) {
      return 0;
    }
    Set<String> prefixes = new HashSet<>();
    due.forEach(r -> prefixes.add(prefixOf(r.key())));
    Map<String, Row> last = store.lastRows(ClaimRows.CLAIMS, prefixes);
    List<RowWrite> writes = new ArrayList<>(due.size());
    int deleted = 0;
    for (Row row : due) {
      Row newest = last.get(prefixOf(row.key()));
      if (newest != null && newest.key().equals(row.key())) {
        writes.add(RowWrite.upsert(row.withDue(now.plus(retention)))); // kept: a later look
      } else {
        writes.add(RowWrite.delete(ClaimRows.CLAIMS, row.key()));
        deleted++;
      }
    }
    store.writeRows(writes);
    return deleted;
  }

  /**
   * One bounded pass at {@code now} over the marks of started batches ({@link ClaimRows#MARKS}):
   * deletes up to {@code limit} of those due (a mark only matters during the tick that wrote it).
   */
  static int pruneMarks(SessionStore store, String node, Instant now, int limit) {
    List<Row> due = store.claimRows(ClaimRows.MARKS, node, now, HOLD, limit);
    if (due.isEmpty()) {
      return 0;
    }
    List<RowWrite> writes = new ArrayList<>(due.size());
    for (Row row : due) {
      writes.add(RowWrite.delete(ClaimRows.MARKS, row.key()));
    }
    store.writeRows(writes);
    return due.size();
  }

  /** The trigger's claim key prefix, {@code <trigger>@} (trigger ids hold no {@code @}). */
  private static String prefixOf(String claimKey) {
    return claimKey.substring(0, claimKey.lastIndexOf('@') + 1);
  }
}
