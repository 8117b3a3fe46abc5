package dev.agentmesh.review;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.review.notify.Deliveries;
import dev.agentmesh.review.notify.DeliveryRecord;
import dev.agentmesh.review.notify.DeliveryRetryPolicy;
import dev.agentmesh.review.notify.DeliveryScheduler;
import dev.agentmesh.review.notify.Notifier;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionEvent;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.SessionsExtension;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The review runtime: an agent's artifact waits for people to approve it, inside its session. Built
 * once, installed on the sessions as an extension, shared.
 *
 * <pre>{@code
 * Reviews reviews = Reviews.builder(mesh)
 *     .store(store) // the store the sessions use
 *     .authenticator(token -> directory.reviewerFor(token))
 *     .outputType("support-reply", "outbound-message")
 *     .publisher("outbound-message", publication -> mail.send(publication))
 *     .notifier("slack", SlackNotifier.builder(slackWebhook).build())
 *     .build();
 * Sessions sessions = Sessions.builder(mesh).store(store).extension(reviews).build();
 *
 * ReviewState review = reviews.pending(sessionId).get(0);
 * reviews.decide(review.id(), review.hash(), token, Decision.approve());
 * }</pre>
 *
 * <h2>What it does</h2>
 *
 * An agent whose review policy is required and whose output is an artifact type proposes its output
 * instead of completing: {@code review.proposed} and a wait named {@code review:<local id>} are
 * appended in one transaction, and the session waits with no thread held, on any node. A tool call
 * that needs approval is suspended with its {@link Action} proposed. {@link #decide} binds a
 * decision to the content hash the reviewer saw and the reviewer the {@link Authenticator} says it
 * is; it is judged against the session's log at the moment it is appended, and recorded, or refused
 * and the refusal recorded. An approval completes the session with the approved artifact as its
 * output and runs its effect once (see {@link PublishHandler}); a rejection fails the session's
 * turn with the reason; a change request gives the producing agent the reason and comments, and its
 * next artifact supersedes this one. Expiry, effect recovery and notification delivery are rows of
 * the session store claimed by a periodic sweep on any node. See docs/review.md.
 *
 * <h2>Threading and errors</h2>
 *
 * Immutable after {@link Builder#build()}, thread-safe. Methods other than the builder's throw
 * {@link IllegalStateException} until the sessions are built with it installed. A refused decision
 * throws {@link ReviewRefusedException} with its {@link ReviewRefusedException#reason() reason}.
 * Close it to stop its sweep (before closing the sessions).
 */
public final class Reviews implements SessionsExtension, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Reviews.class);

  /** How many single decisions of one {@link #decideAll} run at once by default. */
  public static final int DEFAULT_BULK_CONCURRENCY = 8;

  private final Engine engine;
  private final Effects effects;
  private final Decisions decisions;
  private final Proposals proposals;
  private final Expiries expiries;
  private final ReviewQueue queue;
  private final Corrections corrections;
  private final Builder settings;
  private volatile @Nullable ReviewOutbox outbox;
  private volatile @Nullable ScheduledExecutorService ownedScheduler;
  private volatile @Nullable ExecutorService ownedDelivery;

  private Reviews(Builder b) {
    this.settings = b.copy();
    this.engine =
        new Engine(
            b.types,
            new EnginePolicy(b.mesh, b.types, b.hostPolicy, b.outputTypes),
            b.clock,
            Objects.requireNonNull(b.authenticator),
            b.publishers,
            b.ids,
            b.effectTimeout);
    this.effects = new Effects(engine);
    this.decisions = new Decisions(engine, effects);
    this.proposals = new Proposals(engine, decisions);
    this.expiries = new Expiries(engine);
    Decisions single = decisions;
    this.queue =
        ReviewQueue.builder(Objects.requireNonNull(b.store, "store"))
            .clock(b.clock)
            .decider(
                (review, credential, decision) -> {
                  single.decide(review.reviewId(), review.contentHash(), credential, decision);
                  return new BulkOutcome.Decided(review);
                })
            .pageDecider(new PageDecisions(engine, decisions, effects, b.bulkConcurrency))
            .concurrency(b.bulkConcurrency)
            .build();
    this.corrections =
        Corrections.builder(Objects.requireNonNull(b.store, "store")).clock(b.clock).build();
  }

  /**
   * A builder of the review runtime for the agents of {@code mesh} (their specs' review policies).
   *
   * @param mesh the mesh the sessions run
   * @return a new builder
   */
  public static Builder builder(Mesh mesh) {
    return new Builder(mesh);
  }

  /**
   * Installs the output gate, the call gate and the review binding on the sessions' builder.
   *
   * @param builder the sessions' builder
   */
  @Override
  public void configure(Sessions.Builder builder) {
    builder
        .outputGate(proposals)
        .suspendCalls(proposals)
        .reviewBound()
        .forkRows(this::forkRows)
        .context(corrections.turnContext(settings.mesh, settings.outputTypes));
  }

  /**
   * A fork's copies of pending reviews are reviews of the fork: listed in the queue and due to
   * expire as the originals, from the fork's first append; a copied approval whose effect had not
   * ended gets the fork's own effect row.
   */
  private List<RowWrite> forkRows(String forkId, List<SessionEvent> events) {
    List<ReviewFold.Entry> entries = new ArrayList<>();
    for (SessionEvent e : events) {
      if (e instanceof SessionEvent.Custom c) {
        entries.add(new ReviewFold.Entry(c.at(), c.type(), c.data()));
      }
    }
    List<RowWrite> rows = new ArrayList<>();
    for (ReviewState review : ReviewFold.of(forkId, entries, engine.types).values()) {
      if (owesEffect(review)) {
        rows.add(Engine.dueRow(Engine.EFFECT, review, engine.now())); // the fork's own, due now
      }
      if (!review.status().isOpen()) {
        continue;
      }
      Instant expiresAt = review.expiresAt();
      if (expiresAt != null) {
        rows.add(Engine.dueRow(Engine.EXPIRY, review, expiresAt));
      }
      rows.addAll(ReviewIndex.opened(engine.policy.pending(review)));
    }
    return rows;
  }

  /**
   * Whether the fork's copy of {@code review} was approved with its effect not yet ended: nobody
   * runs it inline in the fork, so the fork gets its own effect row, which the sweep settles (a due
   * effect runs once in the fork, with the copied key; a started one is settled as after a crash).
   */
  private boolean owesEffect(ReviewState review) {
    return review.status() == ReviewStatus.APPROVED
        && (review.effect() == EffectStatus.DUE || review.effect() == EffectStatus.STARTED);
  }

  /**
   * Binds to the built sessions and starts the sweep.
   *
   * @param sessions the sessions this runtime serves
   */
  @Override
  public void bind(Sessions sessions) {
    SessionStore store = Objects.requireNonNull(settings.store);
    ReviewOutbox box = null;
    if (!settings.notifiers.isEmpty()) {
      Executor delivery = settings.deliveryExecutor;
      if (delivery == null) {
        ExecutorService pool = Executors.newFixedThreadPool(2, daemon("agentmesh-review-notify"));
        ownedDelivery = pool;
        delivery = pool;
      }
      Deliveries.Builder d =
          Deliveries.builder(new ClockScheduler(engine.clock))
              .retryPolicy(settings.retry)
              .listener(settings.deliveryListener);
      settings.notifiers.forEach(d::notifier);
      ReviewNotifications compose = new ReviewNotifications(engine);
      box =
          new ReviewOutbox(
              store,
              d.build(),
              compose::compose,
              sessions.nodeId(),
              engine.effectTimeout,
              engine.clock,
              delivery);
    }
    outbox = box;
    engine.bind(new Engine.Bound(sessions, store, sessions.nodeId(), box));
    Duration every = settings.sweepInterval;
    if (every != null) {
      ScheduledExecutorService scheduler = settings.scheduler;
      if (scheduler == null) {
        scheduler = Executors.newSingleThreadScheduledExecutor(daemon("agentmesh-review-sweep"));
        ownedScheduler = scheduler;
      }
      long millis = every.toMillis();
      scheduler.scheduleWithFixedDelay(this::sweepQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Decides a review as the reviewer {@code credential} authenticates as, on the version whose hash
   * the reviewer saw.
   *
   * @param reviewId the review's id ({@code <session id>/r<n>})
   * @param seen the content hash the reviewer was shown
   * @param credential what the host's {@link Authenticator} turns into a reviewer
   * @param decision approve, edit, reject or request changes
   * @return what the decision did; after an approval, also its effect's status
   * @throws ReviewRefusedException if the credential is refused, the review is unknown, superseded,
   *     expired or decided, the hash is stale, the reviewer may not decide, an edit is invalid or a
   *     comment's anchor is outside the artifact (all but the first two are recorded in the log)
   */
  public ReviewOutcome decide(
      String reviewId, ContentHash seen, Object credential, Decision decision) {
    Objects.requireNonNull(reviewId, "reviewId");
    Objects.requireNonNull(seen, "seen");
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(decision, "decision");
    return decisions.decide(reviewId, seen, credential, decision);
  }

  /**
   * A page of the reviews pending in every session of the store, riskiest then oldest first: a
   * reviewer's queue (the reviews they or their groups may decide), one agent's type, or all. The
   * queue's rows are written in the same appends as the proposals, decisions, supersessions,
   * expiries and escalations, so a review is listed exactly while its log says it is pending.
   *
   * <pre>{@code
   * ReviewPage page = reviews.pending(ReviewQuery.builder().reviewer(reviewer).limit(50).build());
   * }</pre>
   *
   * @param query the filters, page size and cursor
   * @return the page
   */
  public ReviewPage pending(ReviewQuery query) {
    return queue.pending(query);
  }

  /**
   * Decides every review the query lists (one agent's artifacts of one type) with the same
   * decision, each singly through {@link #decide} with the content hash the queue lists: each is
   * authenticated, checked against its policy and recorded in its own session (and an approval's
   * effect run as after {@link #decide}); a refusal is reported for that review and the rest go on.
   * Up to {@link Builder#bulkConcurrency(int)} decisions run at once, on threads of this call, each
   * in a distinct session; the first is decided alone, so a refused credential stops the call at
   * the first review.
   *
   * <pre>{@code
   * BulkOutcome out =
   *     reviews.decideAll(
   *         ReviewQuery.builder().agent("crm-sync").artifactType("record-change").build(),
   *         credential,
   *         Decision.approve());
   * }</pre>
   *
   * @param query which reviews: agent and artifact type are required
   * @param credential the caller's credential, passed to each decision
   * @param decision the decision for every review; not an edit
   * @return what was decided and what was refused, and where to go on
   * @throws IllegalArgumentException if the query lacks the agent or the type, or the decision is
   *     an edit
   */
  public BulkOutcome decideAll(ReviewQuery query, Object credential, Decision decision) {
    return queue.decideAll(query, credential, decision);
  }

  /**
   * The corrections reviewers made to this mesh's agents: every rejection and change request leaves
   * one in the same append as the decision, and each agent's later runs get its active ones in
   * their system context ({@link #configure} registers that). Query them per agent, retire the ones
   * that no longer hold.
   *
   * <pre>{@code
   * CorrectionPage page =
   *     reviews.corrections().query(CorrectionQuery.builder("reply").activeOnly().build());
   * }</pre>
   *
   * @return the corrections, over the same store and clock
   */
  public Corrections corrections() {
    return corrections;
  }

  /**
   * A reviewing agent's findings on a proposal, recorded as its comments; never a decision.
   *
   * @param reviewId the review
   * @param agent the reviewing agent (an agent of the mesh)
   * @param findings anchored comments, each anchor checked against the artifact
   * @return the review with the findings
   * @throws ReviewRefusedException if the review is unknown or an anchor is outside the artifact
   */
  public ReviewState comment(String reviewId, String agent, List<Comment> findings) {
    return decisions.comment(reviewId, agent, List.copyOf(findings));
  }

  /**
   * The review as its session's log has it now.
   *
   * @param reviewId the review's id
   * @return the review
   * @throws ReviewRefusedException with {@code UNKNOWN_REVIEW} if there is no such review
   */
  public ReviewState review(String reviewId) {
    return find(reviewId).orElseThrow(() -> Decisions.unknown(reviewId));
  }

  /**
   * The review, if there is one with this id.
   *
   * @param reviewId the review's id
   * @return the review, or empty
   */
  public Optional<ReviewState> find(String reviewId) {
    String local = ReviewFold.localOf(reviewId);
    if (local == null) {
      return Optional.empty();
    }
    return engine
        .bound()
        .sessions()
        .find(ReviewFold.sessionOf(reviewId))
        .flatMap(s -> Optional.ofNullable(engine.reviews(s.state()).get(local)));
  }

  /**
   * Every review of a session, in proposal order.
   *
   * @param sessionId the session
   * @return its reviews
   * @throws dev.agentmesh.sessions.SessionNotFoundException if there is no such session
   */
  public List<ReviewState> reviews(String sessionId) {
    Session session = engine.session(sessionId);
    return List.copyOf(engine.reviews(session.state()).values());
  }

  /**
   * The session's reviews that still take decisions.
   *
   * @param sessionId the session
   * @return its pending reviews, oldest first
   */
  public List<ReviewState> pending(String sessionId) {
    return reviews(sessionId).stream().filter(r -> r.status().isOpen()).toList();
  }

  /**
   * One pass of the sweep now, on the caller's thread: due notifications are handed to the delivery
   * executor, due expiries fire, and effects whose deciding node did not settle them are settled.
   * The periodic sweep does the same; tests call it with a fake clock.
   *
   * @return how many rows it claimed
   */
  public int runDue() {
    int n = expiries.fireDue() + effects.runDue();
    ReviewOutbox box = outbox;
    return box == null ? n : n + box.deliverDue();
  }

  /** Stops the sweep and the threads this instance made; the store and sessions stay open. */
  @Override
  public void close() {
    ScheduledExecutorService s = ownedScheduler;
    if (s != null) {
      s.shutdownNow();
    }
    ExecutorService d = ownedDelivery;
    if (d != null) {
      d.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "Reviews{publishers="
        + settings.publishers.keySet()
        + ", notifiers="
        + settings.notifiers.keySet()
        + "}";
  }

  private void sweepQuietly() {
    try {
      runDue();
    } catch (RuntimeException e) {
      log.warn("The review sweep failed; it runs again at the next interval", e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Deliveries only read the time here: the outbox keeps the attempts and their times. */
  private record ClockScheduler(Clock clock) implements DeliveryScheduler {
    @Override
    public Instant now() {
      return clock.instant();
    }

    @Override
    public void schedule(Duration delay, Runnable task) {
      throw new UnsupportedOperationException("the review outbox schedules its own attempts");
    }
  }

  /** Builds {@link Reviews}; an authenticator and the sessions' store are required. */
  public static final class Builder {
    private final Mesh mesh;
    private @Nullable SessionStore store;
    private ArtifactTypes types = ArtifactTypes.standard();
    private HostReviewPolicy hostPolicy = HostReviewPolicy.none();
    private @Nullable Authenticator authenticator;
    private final Map<String, PublishHandler> publishers = new LinkedHashMap<>();
    private final Map<String, Notifier> notifiers = new LinkedHashMap<>();
    private final Map<String, String> outputTypes = new LinkedHashMap<>();
    private DeliveryRetryPolicy retry = DeliveryRetryPolicy.DEFAULT;
    private Consumer<DeliveryRecord> deliveryListener = r -> log.debug("{}", r);
    private @Nullable Executor deliveryExecutor;
    private @Nullable ScheduledExecutorService scheduler;
    private @Nullable Duration sweepInterval = Duration.ofSeconds(1);
    private Duration effectTimeout = Duration.ofMinutes(5);
    private int bulkConcurrency = DEFAULT_BULK_CONCURRENCY;
    private Clock clock;
    private Supplier<String> ids = () -> UUID.randomUUID().toString();

    private Builder(Mesh mesh) {
      this.mesh = Objects.requireNonNull(mesh, "mesh");
      this.clock = mesh.clock();
    }

    private Builder copy() {
      Builder b = new Builder(mesh);
      b.store = store;
      b.types = types;
      b.hostPolicy = hostPolicy;
      b.authenticator = authenticator;
      b.publishers.putAll(publishers);
      b.notifiers.putAll(notifiers);
      b.outputTypes.putAll(outputTypes);
      b.retry = retry;
      b.deliveryListener = deliveryListener;
      b.deliveryExecutor = deliveryExecutor;
      b.scheduler = scheduler;
      b.sweepInterval = sweepInterval;
      b.effectTimeout = effectTimeout;
      b.bulkConcurrency = bulkConcurrency;
      b.clock = clock;
      b.ids = ids;
      return b;
    }

    /**
     * The store the sessions use (review rows live beside their events). Required.
     *
     * @param store the sessions' store
     * @return this builder
     */
    public Builder store(SessionStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The host's overrides of the specs' review policies (default: none): reviewers and groups
     * added to every agent's, and settings per agent or per artifact type, evaluated by {@link
     * ReviewRules} at every proposal and decision.
     *
     * <pre>{@code
     * builder.hostPolicy(HostReviewPolicy.builder().groups("compliance").build());
     * }</pre>
     *
     * @param hostPolicy the overrides
     * @return this builder
     */
    public Builder hostPolicy(HostReviewPolicy hostPolicy) {
      this.hostPolicy = Objects.requireNonNull(hostPolicy, "hostPolicy");
      return this;
    }

    /**
     * The artifact types (default: the standard ones); a host's own types are registered there.
     *
     * @param types the registry
     * @return this builder
     */
    public Builder types(ArtifactTypes types) {
      this.types = Objects.requireNonNull(types, "types");
      return this;
    }

    /**
     * Turns a decision's credential into a reviewer, or refuses it. Required.
     *
     * @param authenticator the host's authenticator
     * @return this builder
     */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /**
     * The artifact type the output of {@code agent} is, when its review policy is required and its
     * spec's {@code review.artifact} names none (the spec's wins).
     *
     * @param agent the agent
     * @param type a registered artifact type's name, such as {@code outbound-message}
     * @return this builder
     */
    public Builder outputType(String agent, String type) {
      outputTypes.put(Objects.requireNonNull(agent, "agent"), Objects.requireNonNull(type, "type"));
      return this;
    }

    /**
     * The effect of an approved artifact of {@code type}; without one, an approval only completes
     * the session with the artifact as its output.
     *
     * @param type a registered artifact type's name
     * @param handler applies it; see {@link PublishHandler} for at most / exactly once
     * @return this builder
     */
    public Builder publisher(String type, PublishHandler handler) {
      publishers.put(
          Objects.requireNonNull(type, "type"), Objects.requireNonNull(handler, "handler"));
      return this;
    }

    /**
     * Tells people through {@code notifier} (review requested, decided, expired, escalated, an
     * effect that failed). Deliveries are durable and retried; a failing notifier never fails a
     * review.
     *
     * @param name a name unique among the notifiers (shown in delivery records)
     * @param notifier the channel
     * @return this builder
     */
    public Builder notifier(String name, Notifier notifier) {
      Objects.requireNonNull(name, "name");
      if (notifiers.putIfAbsent(name, Objects.requireNonNull(notifier, "notifier")) != null) {
        throw new IllegalArgumentException(
            "notifier '" + name + "' is already registered; give each a unique name");
      }
      return this;
    }

    /**
     * How failed deliveries are retried (default {@link DeliveryRetryPolicy#DEFAULT}).
     *
     * @param retry the policy
     * @return this builder
     */
    public Builder deliveryRetry(DeliveryRetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /**
     * Receives every delivery attempt's record (default: logged at DEBUG).
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder deliveryListener(Consumer<DeliveryRecord> listener) {
      this.deliveryListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Where notifiers run (default: two daemon threads this instance makes), so a slow channel
     * holds one of them and never the sweep or a decision.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder deliveryExecutor(Executor executor) {
      this.deliveryExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Runs the periodic sweep (default: one daemon thread this instance makes).
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * How often the sweep runs (default one second); null for none (call {@link #runDue()}).
     *
     * @param interval the interval, or null
     * @return this builder
     */
    public Builder sweepInterval(@Nullable Duration interval) {
      if (interval != null && (interval.isNegative() || interval.isZero())) {
        throw new IllegalArgumentException("sweepInterval must be positive but was " + interval);
      }
      this.sweepInterval = interval;
      return this;
    }

    /**
     * How long an approval's deciding node has to record its effect's end before the sweep settles
     * it (default five minutes); also the claim time of the sweep's rows. Longer than the slowest
     * publish handler.
     *
     * @param timeout the time
     * @return this builder
     */
    public Builder effectTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("effectTimeout must be positive but was " + timeout);
      }
      this.effectTimeout = timeout;
      return this;
    }

    /**
     * How many single decisions one {@link Reviews#decideAll} runs at once, each in a distinct
     * session ({@value Reviews#DEFAULT_BULK_CONCURRENCY} by default; 1 decides one at a time on the
     * caller's thread). Each takes one of the store's connections while it appends, so more than
     * the store's pool only waits.
     *
     * @param concurrency 1 to 64
     * @return this builder
     */
    public Builder bulkConcurrency(int concurrency) {
      if (concurrency < 1 || concurrency > 64) {
        throw new IllegalArgumentException(
            "bulkConcurrency must be between 1 and 64 but was " + concurrency);
      }
      this.bulkConcurrency = concurrency;
      return this;
    }

    /**
     * The clock (default: the mesh's).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where decision ids come from (default: random UUIDs).
     *
     * @param ids the source
     * @return this builder
     */
    public Builder ids(Supplier<String> ids) {
      this.ids = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /**
     * The runtime; install it with {@code Sessions.builder(mesh).extension(reviews)}.
     *
     * @return the reviews
     * @throws IllegalStateException if no authenticator or store was set, an agent requires review
     *     without saying what artifact its output is, or an output type or publisher names a type
     *     that is not registered
     */
    public Reviews build() {
      if (authenticator == null) {
        throw new IllegalStateException(
            "Reviews needs an authenticator: call authenticator(credential -> reviewer)");
      }
      if (store == null) {
        throw new IllegalStateException(
            "Reviews needs the sessions' store: call store(store) with the store given to "
                + "Sessions.builder(mesh).store(store)");
      }
      for (String type : publishers.keySet()) {
        requireType(type, "publisher");
      }
      outputTypes.values().forEach(t -> requireType(t, "outputType"));
      for (AgentSpec spec : mesh.specs()) {
        ReviewPolicy policy = spec.review();
        String type = policy.artifact() != null ? policy.artifact() : outputTypes.get(spec.name());
        if (!policy.required()) {
          continue;
        }
        if (type == null) {
          throw new IllegalStateException(
              "Agent '"
                  + spec.name()
                  + "' declares review.required: true but not what its output is: set"
                  + " review.artifact in its spec (such as outbound-message), or"
                  + " Reviews.builder(mesh).outputType(\""
                  + spec.name()
                  + "\", type); without one its output could not be reviewed");
        }
        requireType(type, "agent '" + spec.name() + "' review.artifact");
      }
      return new Reviews(this);
    }

    private void requireType(String type, String what) {
      if (types.type(type).isEmpty()) {
        throw new IllegalStateException(
            what
                + " names artifact type '"
                + type
                + "', which is not registered; registered: "
                + types.types().stream().map(ArtifactType::name).toList());
      }
    }
  }
}
