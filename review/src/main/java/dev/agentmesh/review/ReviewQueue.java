package dev.agentmesh.review;

import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The pending-review queue: what waits for a decision, by reviewer (with their groups), agent,
 * artifact type, age and risk, paged; and bulk decisions over it. It reads the rows {@link
 * ReviewIndex} keeps in the session store, so it agrees with the session logs on every node.
 * Immutable and thread-safe; share one.
 *
 * <pre>{@code
 * ReviewQueue queue = ReviewQueue.builder(store).decider(decider).build();
 * ReviewPage mine = queue.pending(ReviewQuery.builder().reviewer("ana", Set.of("leads")).build());
 * BulkOutcome outcome =
 *     queue.decideAll(
 *         ReviewQuery.builder().agent("release-notes").artifactType("document").build(),
 *         credential,
 *         Decision.approve());
 * }</pre>
 *
 * <p>How a query is served: with an agent and a type, from that pair's list; otherwise with a
 * reviewer, from the reviewer's own list merged with one list per group; otherwise from the list of
 * every review. Each list is read by key range, in queue order, so a reviewer's first page reads
 * about one page of rows per list. Filters no list covers (an agent alone, a type alone, a reviewer
 * beside an agent and type) are applied to the rows read; such a page stops after reading {@value
 * #MAX_SCANNED} rows and may come back short with a cursor.
 */
public final class ReviewQueue {

  /** How many reviews one {@link #decideAll} call tries at most by default. */
  public static final int DEFAULT_BULK_LIMIT = 1000;

  /** How many rows one page request reads at most. */
  public static final int MAX_SCANNED = 5000;

  private static final int FILTERED_FETCH = 200;
  private static final int BULK_PAGE = 200;

  private static final ThreadFactory BULK_THREADS =
      r -> {
        Thread t = new Thread(r, "agentmesh-review-bulk");
        t.setDaemon(true);
        return t;
      };

  private final SessionStore store;
  private final Clock clock;
  private final @Nullable SingleDecider decider;
  private final @Nullable PageDecider pageDecider;
  private final int bulkLimit;
  private final int concurrency;

  private ReviewQueue(Builder b) {
    this.store = b.store;
    this.clock = b.clock;
    this.decider = b.decider;
    this.pageDecider = b.pageDecider;
    this.bulkLimit = b.bulkLimit;
    this.concurrency = b.concurrency;
  }

  /**
   * A queue over {@code store}, for reading (no bulk decisions), on the system clock.
   *
   * @param store the session store the engine writes the queue's rows to
   * @return the queue
   */
  public static ReviewQueue create(SessionStore store) {
    return builder(store).build();
  }

  /**
   * A builder of a queue over {@code store}.
   *
   * @param store the session store the engine writes the queue's rows to
   * @return a new builder
   */
  public static Builder builder(SessionStore store) {
    return new Builder(Objects.requireNonNull(store, "store"));
  }

  /**
   * One page of pending reviews matching {@code query}, in queue order: risk (highest first), then
   * age (oldest first), then review id.
   *
   * @param query the filters, page size and cursor
   * @return the page
   */
  public ReviewPage pending(ReviewQuery query) {
    Objects.requireNonNull(query, "query");
    QueueScan scan = scan(query, query.limit());
    List<PendingReview> page = new ArrayList<>();
    while (page.size() < query.limit()) {
      PendingReview next = scan.next();
      if (next == null) {
        break;
      }
      page.add(next);
    }
    String position = scan.position();
    if (position == null || scan.exhausted()) {
      return new ReviewPage(page, null);
    }
    return new ReviewPage(page, ReviewQuery.encode(position));
  }

  /**
   * The pending review {@code reviewId}, if it is in the queue.
   *
   * @param reviewId the review's id
   * @return the review, or empty when it is decided, superseded, expired or unknown
   */
  public Optional<PendingReview> find(String reviewId) {
    Objects.requireNonNull(reviewId, "reviewId");
    return store.findRow(QueueRows.NAMESPACE, QueueRows.byId(reviewId)).map(QueueRows::read);
  }

  /**
   * Decides every pending review matching {@code query} (one agent's artifacts of one type, at most
   * {@link Builder#bulkLimit(int)} per call, 1,000 unless set), in queue order, each through the
   * {@link SingleDecider}: each decision is recorded singly in its own session and each review's
   * policy is checked on its own. With a {@link Builder#concurrency(int) concurrency} above one, up
   * to that many are decided at once, never two of one session; the first review is decided alone.
   * Reviews the policy refuses are reported with the reason and stay pending. A refused credential
   * ({@code unauthenticated}, {@code authenticator-failed}) or a decider that throws anything else
   * stops the bulk decision at that review: no further review is started, those under way finish
   * and are reported, and the cursor goes on at the review it stopped at. The query's page size is
   * ignored; its other filters (reviewer, age, risk) and cursor apply.
   *
   * @param query which reviews: agent and artifact type are required
   * @param credential the caller's credential, passed to each decision as it is
   * @param decision the decision for every review; not an edit (an edited artifact belongs to one
   *     review)
   * @return what was decided and what was refused, and where to go on
   * @throws IllegalArgumentException if the query lacks the agent or the type, or the decision is
   *     an edit
   * @throws IllegalStateException if the queue was built without a decider
   */
  public BulkOutcome decideAll(ReviewQuery query, Object credential, Decision decision) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(decision, "decision");
    SingleDecider single = decider;
    if (single == null) {
      throw new IllegalStateException(
          "This ReviewQueue has no decider: build it with ReviewQueue.builder(store).decider(...), "
              + "or use Reviews.decideAll, which has one");
    }
    if (query.agent() == null || query.artifactType() == null) {
      throw new IllegalArgumentException(
          "decideAll decides one agent's artifacts of one type, but the query has agent="
              + query.agent()
              + " and artifactType="
              + query.artifactType()
              + "; set both with ReviewQuery.builder().agent(...).artifactType(...)");
    }
    if (decision instanceof Decision.Edit) {
      throw new IllegalArgumentException(
          "decideAll cannot apply an edit: an edited artifact belongs to one review; "
              + "decide that review alone");
    }
    return new Bulk(single, credential, decision).run(query);
  }

  /** A scan serving {@code query}: its lists, the filter they leave, its bounds. */
  private QueueScan scan(ReviewQuery query, int pageSize) {
    String agent = query.agent();
    String type = query.artifactType();
    String reviewer = query.reviewer();
    List<String> lists = new ArrayList<>();
    Predicate<PendingReview> rest = r -> true;
    boolean filtered;
    if (agent != null && type != null) {
      lists.add(QueueRows.agentTypeList(agent, type));
      filtered = reviewer != null;
      if (reviewer != null) {
        rest = r -> r.listedFor(reviewer, query.reviewerGroups());
      }
    } else {
      if (reviewer != null) {
        lists.add(QueueRows.reviewerList(reviewer));
        query.reviewerGroups().forEach(g -> lists.add(QueueRows.groupList(g)));
      } else {
        lists.add(QueueRows.everyoneList());
      }
      filtered = agent != null || type != null;
      rest =
          r ->
              (agent == null || agent.equals(r.agent()))
                  && (type == null || type.equals(r.artifactType()));
    }
    int fetch = filtered ? Math.max(pageSize + 1, FILTERED_FETCH) : pageSize + 1;
    return new QueueScan(
        store,
        lists,
        rest,
        query.minimumRisk() == null ? 9 : QueueRows.rank(query.minimumRisk()),
        before(query),
        query.position(),
        Math.min(fetch, RowQuery.MAX_LIMIT),
        MAX_SCANNED);
  }

  private @Nullable String before(ReviewQuery query) {
    Instant bound = query.proposedBefore();
    Duration age = query.olderThan();
    if (age != null) {
      Instant byAge = clock.instant().minus(age);
      bound = bound == null || byAge.isBefore(bound) ? byAge : bound;
    }
    return bound == null ? null : QueueRows.format(bound);
  }

  /**
   * Decides many reviews of distinct sessions at once (the review engine's way to share the store's
   * work among a page's decisions): one item per review in order, or fewer when it stopped at a
   * review (a refused credential, {@code unauthenticated} or {@code authenticator-failed}, or a
   * failure, {@value BulkOutcome#FAILED}), which is then the last item. Never throws for one
   * review's sake.
   */
  interface PageDecider {
    List<BulkOutcome.Item> decide(
        List<PendingReview> reviews, Object credential, Decision decision);
  }

  /**
   * One bulk decision: the queue's pages read in order, each review handed to the decider; with a
   * concurrency above one, up to that many at once on threads of this call, never two of one
   * session at once. The first review is decided alone, so a refused credential stops the call
   * before any other review is tried.
   */
  private final class Bulk {
    private final SingleDecider single;
    private final Object credential;
    private final Decision decision;
    private final List<Slot> slots = new ArrayList<>();
    private final Map<String, Slot> lastOfSession = new HashMap<>();
    private volatile boolean stopped;

    /** One review tried: where the queue stood before it, and what happened to it. */
    private final class Slot {
      final PendingReview review;
      final @Nullable String before;
      final CountDownLatch done = new CountDownLatch(1);
      volatile BulkOutcome.@Nullable Item item;
      volatile boolean stops;

      Slot(PendingReview review, @Nullable String before) {
        this.review = review;
        this.before = before;
      }

      void run() {
        try {
          decideOne(this);
        } finally {
          done.countDown();
        }
      }
    }

    Bulk(SingleDecider single, Object credential, Decision decision) {
      this.single = single;
      this.credential = credential;
      this.decision = decision;
    }

    BulkOutcome run(ReviewQuery query) {
      PageDecider many = pageDecider;
      if (many != null) {
        return pages(query, many);
      }
      if (concurrency == 1) {
        return loop(query, Runnable::run, new Semaphore(1));
      }
      ExecutorService pool = Executors.newFixedThreadPool(concurrency, BULK_THREADS);
      try {
        return loop(query, pool, new Semaphore(concurrency));
      } finally {
        pool.shutdown();
      }
    }

    private BulkOutcome loop(ReviewQuery query, Executor executor, Semaphore permits) {
      @Nullable String resume = query.cursor();
      ReviewQuery.Builder pages = query.newBuilder();
      boolean more = true;
      while (more && !stopped && slots.size() < bulkLimit) {
        int room = bulkLimit - slots.size();
        ReviewPage page = pending(pages.limit(Math.min(BULK_PAGE, room)).cursor(resume).build());
        for (PendingReview review : page.reviews()) {
          if (stopped) {
            break;
          }
          Slot slot = new Slot(review, resume);
          Slot previous = lastOfSession.put(review.sessionId(), slot);
          if (previous != null) {
            await(previous); // one decision per session at a time
          }
          acquire(permits);
          if (stopped) {
            permits.release();
            break;
          }
          slots.add(slot);
          executor.execute(
              () -> {
                try {
                  slot.run();
                } finally {
                  permits.release();
                }
              });
          if (slots.size() == 1) {
            await(slot); // the first alone: a refused credential stops before any other
          }
          resume = ReviewQuery.encode(QueueRows.position(review));
        }
        more = page.hasMore();
        resume = more ? page.nextCursor() : resume;
      }
      slots.forEach(Bulk::await);
      return outcome(more, resume);
    }

    /**
     * The queue's pages, each decided by {@code many} in runs of distinct sessions (the first
     * review of the call alone, by the single decider), in queue order.
     */
    private BulkOutcome pages(ReviewQuery query, PageDecider many) {
      @Nullable String resume = query.cursor();
      ReviewQuery.Builder pages = query.newBuilder();
      boolean more = true;
      while (more && !stopped && slots.size() < bulkLimit) {
        int room = bulkLimit - slots.size();
        ReviewPage page = pending(pages.limit(Math.min(BULK_PAGE, room)).cursor(resume).build());
        List<PendingReview> reviews = page.reviews();
        int i = 0;
        while (i < reviews.size() && !stopped) {
          if (slots.isEmpty()) {
            Slot first = new Slot(reviews.get(0), resume);
            slots.add(first);
            first.run(); // alone: a refused credential stops before any other
            resume = ReviewQuery.encode(QueueRows.position(reviews.get(0)));
            i = 1;
            continue;
          }
          List<PendingReview> run = distinctRun(reviews, i);
          List<@Nullable String> befores = new ArrayList<>();
          for (PendingReview r : run) {
            befores.add(resume);
            resume = ReviewQuery.encode(QueueRows.position(r));
          }
          List<BulkOutcome.Item> items;
          try {
            items = many.decide(run, credential, decision);
          } catch (RuntimeException e) {
            items = List.of(PageDecisions.failed(run.get(0), e));
          }
          for (int k = 0; k < items.size(); k++) {
            Slot slot = new Slot(run.get(k), befores.get(k));
            slot.item = items.get(k);
            slot.stops = stops(items.get(k));
            slot.done.countDown();
            slots.add(slot);
            stopped |= slot.stops;
          }
          i += run.size();
        }
        more = page.hasMore();
        resume = more ? page.nextCursor() : resume;
      }
      return outcome(more, resume);
    }

    /** From {@code from}, the reviews up to the first whose session came before in the run. */
    private static List<PendingReview> distinctRun(List<PendingReview> reviews, int from) {
      java.util.Set<String> sessions = new java.util.HashSet<>();
      int end = from;
      while (end < reviews.size() && sessions.add(reviews.get(end).sessionId())) {
        end++;
      }
      return reviews.subList(from, end);
    }

    private static boolean stops(BulkOutcome.Item item) {
      return item instanceof BulkOutcome.Refused r
          && (r.reason().equals(BulkOutcome.FAILED)
              || r.reason().equals(ReviewRefusedException.Reason.UNAUTHENTICATED.code())
              || r.reason().equals(ReviewRefusedException.Reason.AUTHENTICATOR_FAILED.code()));
    }

    /** The outcome in queue order; when a review stopped the call, it goes on at that review. */
    private BulkOutcome outcome(boolean more, @Nullable String resume) {
      List<BulkOutcome.Decided> decided = new ArrayList<>();
      List<BulkOutcome.Refused> refused = new ArrayList<>();
      Slot stop = null;
      for (Slot slot : slots) {
        BulkOutcome.Item item = slot.item;
        if (item instanceof BulkOutcome.Decided d) {
          decided.add(d);
        } else if (item instanceof BulkOutcome.Refused r) {
          refused.add(r);
        }
        if (stop == null && slot.stops) {
          stop = slot;
        }
      }
      if (stop != null) {
        return new BulkOutcome(decided, refused, true, stop.before);
      }
      if (!more) {
        return new BulkOutcome(decided, refused, false, null);
      }
      return new BulkOutcome(decided, refused, true, resume);
    }

    /** Decides one review, and says whether the bulk decision stops at it. */
    private void decideOne(Slot slot) {
      PendingReview review = slot.review;
      try {
        slot.item = Objects.requireNonNull(single.decide(review, credential, decision), "outcome");
      } catch (ReviewRefusedException e) {
        slot.item =
            new BulkOutcome.Refused(review, e.reason().code(), String.valueOf(e.getMessage()));
        // a refused credential is refused for every review: stop rather than ask again
        slot.stops =
            e.reason() == ReviewRefusedException.Reason.UNAUTHENTICATED
                || e.reason() == ReviewRefusedException.Reason.AUTHENTICATOR_FAILED;
      } catch (RuntimeException e) {
        slot.item = PageDecisions.failed(review, e);
        slot.stops = true;
      }
      if (slot.stops) {
        stopped = true;
      }
    }

    private static void await(Slot slot) {
      boolean interrupted = false;
      while (true) {
        try {
          slot.done.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // the decisions under way finish; their outcome is reported
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    private static void acquire(Semaphore permits) {
      permits.acquireUninterruptibly();
    }
  }

  /** Settings of a {@link ReviewQueue}; reusable, not thread-safe. */
  public static final class Builder {
    private final SessionStore store;
    private Clock clock = Clock.systemUTC();
    private @Nullable SingleDecider decider;
    private @Nullable PageDecider pageDecider;
    private int bulkLimit = DEFAULT_BULK_LIMIT;
    private int concurrency = 1;

    private Builder(SessionStore store) {
      this.store = store;
    }

    /**
     * The clock {@link ReviewQuery#olderThan()} is judged by; the system clock by default.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How {@link #decideAll} records each single decision: the review engine.
     *
     * @param decider the engine's single decision
     * @return this builder
     */
    public Builder decider(SingleDecider decider) {
      this.decider = Objects.requireNonNull(decider, "decider");
      return this;
    }

    /** The review engine's many-at-once decisions (used instead of the single decider's). */
    Builder pageDecider(PageDecider decider) {
      this.pageDecider = Objects.requireNonNull(decider, "decider");
      return this;
    }

    /**
     * How many reviews one {@link #decideAll} call tries at most (decided or refused) before it
     * returns with a cursor to go on; {@value ReviewQueue#DEFAULT_BULK_LIMIT} by default.
     *
     * @param limit 1 to 100,000
     * @return this builder
     */
    public Builder bulkLimit(int limit) {
      if (limit < 1 || limit > 100_000) {
        throw new IllegalArgumentException(
            "bulkLimit must be between 1 and 100000 but was " + limit);
      }
      this.bulkLimit = limit;
      return this;
    }

    /**
     * How many single decisions one {@link #decideAll} call runs at once, on threads it starts and
     * stops itself, never two of one session at once: 1 by default (each on the caller's thread, in
     * queue order). Above one, the {@link SingleDecider} must be thread-safe; the first review is
     * still decided alone, and when a review stops the call, the decisions already under way finish
     * and are reported.
     *
     * @param concurrency 1 to 64; above the store's connections it only waits for them
     * @return this builder
     */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1 || concurrency > 64) {
        throw new IllegalArgumentException(
            "concurrency must be between 1 and 64 but was " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    /**
     * The queue.
     *
     * @return a new queue with these settings
     */
    public ReviewQueue build() {
      return new ReviewQueue(this);
    }
  }
}
