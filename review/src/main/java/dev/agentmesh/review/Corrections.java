package dev.agentmesh.review;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.sessions.TurnContext;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The corrections reviewers made to agents: queried per agent, retired by a reviewer, and given to
 * an agent's later runs as context. Corrections are rows of the session store ({@link
 * CorrectionRows}), written by the review runtime in the same append as the rejection or change
 * request that made them. Built once over the sessions' store, immutable, thread-safe, shared.
 *
 * <pre>{@code
 * Corrections corrections = Corrections.builder(store).build();
 * Sessions sessions = Sessions.builder(mesh).store(store)
 *     .context(corrections.turnContext(mesh)) // Reviews registers this for you
 *     .build();
 * CorrectionPage page = corrections.query(CorrectionQuery.builder("reply").activeOnly().build());
 * corrections.retire(page.corrections().get(0).id(), "ana");
 * }</pre>
 *
 * <h2>What an agent's run gets</h2>
 *
 * {@link #turnContext} gives each turn of an agent its active corrections, most relevant first:
 * same artifact type and target as the turn, then same artifact type, then made against the agent's
 * current spec fingerprint, then newest (see docs/review.md, "Corrections"). At most {@link
 * Builder#maxCount maxCount} corrections and {@link Builder#maxChars maxChars} characters in all,
 * each correction's text cut at {@link Builder#maxCharsEach maxCharsEach}; only the agent's {@link
 * Builder#scanLimit scanLimit} newest corrections are considered. Each is quoted as
 * reviewer-written text: the anchor's one-line description and what the reviewer wrote, every line
 * prefixed, between numbered marker lines no quoted text can produce, with control and invisible
 * characters escaped. Nothing of the artifact is included.
 *
 * <h2>Threading and errors</h2>
 *
 * Every method may be called from any thread; each reads or writes the store directly. Store
 * failures propagate as the store throws them. A stored row this release cannot read fails {@link
 * #query} and {@link #find} with a {@link ReviewException} naming its key, and is skipped (logged)
 * when a turn's context is written, so one bad row never stops an agent.
 */
public final class Corrections {

  private static final Logger log = LoggerFactory.getLogger(Corrections.class);

  private final SessionStore store;
  private final Clock clock;
  private final int scanLimit;
  private final CorrectionContext context;
  private final Builder settings;

  private Corrections(Builder b) {
    this.settings = b.copy();
    this.store = b.store;
    this.clock = b.clock;
    this.scanLimit = b.scanLimit;
    this.context = new CorrectionContext(b.maxCount, b.maxChars, b.maxCharsEach);
  }

  /**
   * A builder over the store the sessions use.
   *
   * @param store the session store holding the corrections' rows
   * @return a new builder
   */
  public static Builder builder(SessionStore store) {
    return new Builder(Objects.requireNonNull(store, "store"));
  }

  /**
   * A builder holding this instance's settings.
   *
   * @return a new builder
   */
  public Builder newBuilder() {
    return settings.copy();
  }

  /**
   * One page of an agent's corrections, newest first.
   *
   * @param query the agent, filters, page size and cursor
   * @return the page, with the next page's cursor when there may be more
   * @throws ReviewException if a stored correction cannot be read
   */
  public CorrectionPage query(CorrectionQuery query) {
    Objects.requireNonNull(query, "query");
    List<Correction> found = new ArrayList<>();
    String after = query.after();
    while (true) {
      List<Row> rows = store.queryRows(rows(query.agent(), after, RowQuery.MAX_LIMIT));
      for (Row row : rows) {
        after = row.key();
        Correction c = CorrectionRows.read(row);
        if (query.matches(c)) {
          found.add(c);
          if (found.size() == query.limit()) {
            return new CorrectionPage(found, after);
          }
        }
      }
      if (rows.size() < RowQuery.MAX_LIMIT) {
        return new CorrectionPage(found, null);
      }
    }
  }

  /**
   * The correction with this id.
   *
   * @param id the correction's id
   * @return the correction, or empty if there is none
   * @throws ReviewException if its row cannot be read
   */
  public Optional<Correction> find(String id) {
    Objects.requireNonNull(id, "id");
    if (id.isBlank() || id.length() > Row.MAX_KEY || id.indexOf('\0') >= 0) {
      return Optional.empty();
    }
    return store.findRow(CorrectionRows.NAMESPACE, id).map(CorrectionRows::read);
  }

  /**
   * Retires a correction: it stays stored and queryable, with who retired it and when, and no
   * longer reaches the agent's runs. Retiring a retired correction changes nothing and returns it
   * as it is (the first retirement is kept; of two at the same moment, one is kept).
   *
   * @param id the correction's id
   * @param by the reviewer retiring it, as the host authenticated them
   * @return the retired correction
   * @throws NoSuchElementException if there is no correction with this id
   */
  public Correction retire(String id, String by) {
    Objects.requireNonNull(by, "by");
    Correction c =
        find(id)
            .orElseThrow(
                () ->
                    new NoSuchElementException(
                        "No correction '"
                            + Texts.truncate(id, 120)
                            + "'; ids are as Corrections.query(...) lists them"));
    if (!c.active()) {
      return c;
    }
    Correction retired = c.retire(by, clock.instant());
    store.writeRows(List.of(RowWrite.upsert(CorrectionRows.row(retired))));
    return retired;
  }

  /**
   * The turn context that gives each run of an agent its active corrections (registered on the
   * sessions' builder; the review runtime registers it for its agents).
   *
   * @param mesh the agents, for each one's current spec fingerprint and artifact type
   * @return the context
   */
  public TurnContext turnContext(Mesh mesh) {
    return turnContext(mesh, Map.of());
  }

  /**
   * The turn context, with the host's artifact types by agent (they win over the specs' {@code
   * review.artifact}, as the review runtime's {@code outputType} does).
   *
   * @param mesh the agents, for each one's current spec fingerprint and artifact type
   * @param artifactTypes artifact type names by agent name
   * @return the context
   */
  public TurnContext turnContext(Mesh mesh, Map<String, String> artifactTypes) {
    Objects.requireNonNull(mesh, "mesh");
    Map<String, String> types = Map.copyOf(artifactTypes);
    return (state, agent) -> {
      AgentSpec spec = mesh.findAgent(agent).map(a -> a.spec()).orElse(null);
      String type = types.get(agent);
      if (type == null && spec != null) {
        type = spec.review().artifact();
      }
      return contextFor(
          new CorrectionContext.Turn(
              agent, spec == null ? null : spec.fingerprint(), type, state.id()));
    };
  }

  /** The context text for a turn: the agent's newest corrections, ranked and bounded. */
  Optional<String> contextFor(CorrectionContext.Turn turn) {
    List<Correction> candidates = new ArrayList<>();
    for (Row row : store.queryRows(rows(turn.agent(), null, scanLimit))) {
      try {
        candidates.add(CorrectionRows.read(row));
      } catch (ReviewException e) {
        log.warn("Skipping a correction of '{}' in its context: {}", turn.agent(), e.getMessage());
      }
    }
    return context.write(CorrectionContext.rank(candidates, turn));
  }

  private static RowQuery rows(String agent, @Nullable String after, int limit) {
    RowQuery.Builder q =
        RowQuery.builder(CorrectionRows.NAMESPACE).keyPrefix(agent + "/").limit(limit);
    if (after != null) {
      q.afterKey(after);
    }
    return q.build();
  }

  @Override
  public String toString() {
    return "Corrections{" + store + "}";
  }

  /** Configures {@link Corrections}; reusable, not thread-safe. */
  public static final class Builder {
    private final SessionStore store;
    private Clock clock = Clock.systemUTC();
    private int maxCount = 10;
    private int maxChars = 6_000;
    private int maxCharsEach = 1_000;
    private int scanLimit = 500;

    private Builder(SessionStore store) {
      this.store = store;
    }

    /**
     * The clock that stamps retirements (default the system's UTC clock).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The most corrections a turn gets, 1 to 100 (default 10).
     *
     * @param max the count
     * @return this builder
     */
    public Builder maxCount(int max) {
      this.maxCount = range("maxCount", max, 1, 100);
      return this;
    }

    /**
     * The most characters of a turn's corrections text, header included, 2,000 to 100,000 (default
     * 6,000); at least {@code maxCharsEach} plus 1,000 when built.
     *
     * @param max the characters
     * @return this builder
     */
    public Builder maxChars(int max) {
      this.maxChars = range("maxChars", max, 2_000, 100_000);
      return this;
    }

    /**
     * The most characters of one correction's quoted text, 100 to 10,000 (default 1,000); longer
     * text is cut and marked {@code [...]}.
     *
     * @param max the characters
     * @return this builder
     */
    public Builder maxCharsEach(int max) {
      this.maxCharsEach = range("maxCharsEach", max, 100, 10_000);
      return this;
    }

    /**
     * How many of an agent's newest corrections (active or retired) are read to choose a turn's, 1
     * to {@value RowQuery#MAX_LIMIT} (default 500).
     *
     * @param max the rows read per turn
     * @return this builder
     */
    public Builder scanLimit(int max) {
      this.scanLimit = range("scanLimit", max, 1, RowQuery.MAX_LIMIT);
      return this;
    }

    /**
     * The corrections over the store, with these settings.
     *
     * @return a new instance
     * @throws IllegalStateException if {@code maxChars} is less than {@code maxCharsEach} plus
     *     1,000 (a single correction could not fit)
     */
    public Corrections build() {
      if (maxChars < maxCharsEach + 1_000) {
        throw new IllegalStateException(
            "maxChars must be at least maxCharsEach + 1000 (header and one correction) but was "
                + maxChars
                + " with maxCharsEach "
                + maxCharsEach
                + "; raise maxChars or lower maxCharsEach");
      }
      return new Corrections(this);
    }

    private Builder copy() {
      Builder b = new Builder(store);
      b.clock = clock;
      b.maxCount = maxCount;
      b.maxChars = maxChars;
      b.maxCharsEach = maxCharsEach;
      b.scanLimit = scanLimit;
      return b;
    }

    private static int range(String what, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            what + " must be between " + min + " and " + max + " but was " + value);
      }
      return value;
    }
  }
}
