package dev.agentmesh.triggers;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentTool;
import dev.agentmesh.sessions.CallGate;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionNotFoundException;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.SessionsExtension;
import dev.agentmesh.sessions.spi.SessionPage;
import dev.agentmesh.sessions.spi.SessionQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Agent triggers: an agent starts a session for another agent, and gets that child session's result
 * as the result of its tool call. The agent declares the tool {@value #TOOL} ({@code tools:
 * [start_session]} in its spec) and calls it with {@code {"agent": "writer", "input": ...}}; the
 * call is suspended in the parent session ({@link CallGate}, reason {@value #REASON}), a child
 * session is started for the named agent with {@code Origin.session(parentId, callId)}, and when
 * the child finishes the parent's call is completed with the child's output ({@link
 * Session#completeCall}) or failed with why the child failed or was cancelled ({@link
 * Session#failCall}); the parent's run then continues.
 *
 * <pre>{@code
 * AgentTriggers children = AgentTriggers.create();
 * Mesh mesh = Mesh.builder().agents(specs).tool(AgentTriggers.tool()).model(...).build();
 * Sessions sessions = Sessions.builder(mesh).extension(children).build(); // gate + bind
 *
 * // only the starts the trigger files declare (kind: agent), each parent its own children:
 * AgentTriggers declared =
 *     AgentTriggers.builder().declared(TriggerSpecs.loadDirectory(Path.of("triggers"))).build();
 * }</pre>
 *
 * <p><b>Who may start whom.</b> Without {@link Builder#declared} or {@link Builder#allow}, any
 * agent with the tool may start any agent of the mesh. Given the declared {@code agent} triggers,
 * an agent may start only the agents a trigger declares for it ({@code from: [parent]}); any other
 * call fails, and the model reads why and how to declare the start.
 *
 * <p>As a {@link SessionsExtension} it installs its {@link #gate()} in {@link #configure} and is
 * {@link #bind bound} by {@code build()}; one instance serves one {@code Sessions}.
 *
 * <p><b>Durability.</b> Every step is a durable record that the next one reads, so a crash anywhere
 * loses nothing: the suspension is in the parent's log before anything else happens; the child is
 * created once per call (its idempotency key is {@code agent-trigger:<parentId>/<callId>}), so
 * starting it again finds it; its result is in its own log; and answering the parent is idempotent
 * (a call no longer suspended refuses a second answer, which is ignored). A {@link #sweep()} (every
 * {@link Builder#sweepInterval}, and once at {@link #bind}) finds waiting sessions with suspended
 * {@value #TOOL} calls and does whatever step is missing, so a child whose parent's node died
 * before starting it, or that finished while no node watched it, is taken care of. On one node the
 * steps also run at once: after the suspension is stored and when the child finishes.
 *
 * <p>Thread-safe. {@link #close()} stops the sweep and the background thread.
 */
public final class AgentTriggers implements SessionsExtension, AutoCloseable {

  /** The tool an agent declares to start child sessions. */
  public static final String TOOL = "start_session";

  /** The reason recorded with a suspended {@value #TOOL} call. */
  public static final String REASON = "child-session";

  /** Who answers the parent's call, in its log: {@code agent-trigger}. */
  public static final String BY = "agent-trigger";

  private static final Logger LOG = LoggerFactory.getLogger(AgentTriggers.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final @Nullable Duration sweepInterval;
  private final int maxDepth;
  private final Map<String, Set<String>> allowed;
  private final boolean declared;
  private final ScheduledExecutorService worker;
  private final AtomicReference<@Nullable Sessions> bound = new AtomicReference<>();
  private final Set<String> watched = ConcurrentHashMap.newKeySet();

  private AgentTriggers(Builder b) {
    this.sweepInterval = b.sweepInterval;
    this.maxDepth = b.maxDepth;
    Map<String, Set<String>> copy = new HashMap<>();
    b.allowed.forEach((parent, kids) -> copy.put(parent, Set.copyOf(kids)));
    this.allowed = Map.copyOf(copy);
    this.declared = b.declared;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "agentmesh-agent-triggers");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Agent triggers with the default sweep (every 10 seconds).
   *
   * @return a new instance, not yet bound
   */
  public static AgentTriggers create() {
    return builder().build();
  }

  /**
   * A builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The {@value #TOOL} tool to register in the mesh ({@code Mesh.builder().tool(...)}) and declare
   * in the specs of agents that may start sessions. Its body never runs while {@link #gate()} is
   * installed; without it a call fails saying so.
   *
   * @return the tool
   */
  public static AgentTool tool() {
    return AgentTool.builder(TOOL)
        .description(
            "Start a session for another agent and get its result: 'agent' names the agent, 'input'"
                + " is its input. The result is the agent's output once its session finishes.")
        .parameters(
            JSON.readTree(
                "{\"type\":\"object\",\"properties\":{\"agent\":{\"type\":\"string\"},"
                    + "\"input\":{}},\"required\":[\"agent\",\"input\"]}"))
        .idempotent(false)
        .handler(
            (arguments, context) -> {
              throw new IllegalStateException(
                  TOOL
                      + " ran as a plain tool: install AgentTriggers.gate() with"
                      + " Sessions.builder(mesh).suspendCalls(...) and bind it");
            })
        .build();
  }

  /**
   * Installs {@link #gate()}; called by {@code Sessions.Builder.extension(this)}.
   *
   * @param builder the builder being configured
   */
  @Override
  public void configure(Sessions.Builder builder) {
    builder.suspendCalls(gate());
  }

  /**
   * The gate {@link #configure} installs (or a host installs itself with {@code
   * Sessions.builder(mesh).suspendCalls(gate)}, then calls {@link #bind}): it suspends every
   * {@value #TOOL} call and, once bound, has the child started after the suspension is stored.
   *
   * @return the gate
   */
  public CallGate gate() {
    return (sessionId, agent, call) -> {
      if (!call.name().equals(TOOL)) return Optional.empty();
      Sessions sessions = bound.get();
      if (sessions != null) worker.execute(() -> whenWaiting(sessions, sessionId));
      return Optional.of(REASON);
    };
  }

  /**
   * Starts answering: from now on children are started and parents answered through {@code
   * sessions}, a sweep runs now (on the background thread) and then every sweep interval. Called by
   * {@code build()} when installed as an extension.
   *
   * @param sessions the runtime whose builder got {@link #gate()}
   * @throws IllegalStateException if already bound
   */
  @Override
  public void bind(Sessions sessions) {
    Objects.requireNonNull(sessions, "sessions");
    if (!bound.compareAndSet(null, sessions)) {
      throw new IllegalStateException("AgentTriggers is bound already; bind one instance once");
    }
    worker.execute(this::sweepQuietly);
    if (sweepInterval != null) {
      long ms = sweepInterval.toMillis();
      worker.scheduleWithFixedDelay(this::sweepQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Does every missing step for every waiting session with a suspended {@value #TOOL} call: starts
   * the child (once per call), and answers the parent when the child has finished. Reads only the
   * waiting sessions of agents that declare {@value #TOOL} (the only ones that can be parents), not
   * every waiting session. Idempotent; safe on several nodes at once. Runs on the caller's thread.
   *
   * @return how many parent calls were answered
   * @throws IllegalStateException if not bound
   */
  public int sweep() {
    Sessions sessions = requireBound();
    int answered = 0;
    for (AgentSpec spec : sessions.mesh().specs()) {
      if (!spec.tools().contains(TOOL)) continue; // cannot be a parent
      String cursor = null;
      do {
        SessionQuery.Builder q =
            SessionQuery.builder()
                .status(SessionStatus.WAITING.id())
                .agent(spec.name())
                .limit(SessionQuery.MAX_LIMIT);
        if (cursor != null) q.after(cursor);
        SessionPage page = sessions.query(q.build());
        for (var summary : page.sessions()) answered += reconcile(sessions, summary.id());
        cursor = page.nextCursor();
      } while (cursor != null);
    }
    return answered;
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.warn("Agent trigger sweep failed; it runs again at the next interval", e);
    }
  }

  /** After the gate: once the parent waits (its suspension stored), start the child. */
  private void whenWaiting(Sessions sessions, String parentId) {
    try {
      sessions
          .session(parentId)
          .idle()
          .thenRunAsync(() -> reconcileQuietly(sessions, parentId), worker);
    } catch (RuntimeException e) {
      LOG.warn("Could not watch session {}; the sweep will start its child", parentId, e);
    }
  }

  private void reconcileQuietly(Sessions sessions, String parentId) {
    try {
      reconcile(sessions, parentId);
    } catch (RuntimeException e) {
      LOG.warn("Could not start or answer the child of session {}; the sweep retries", parentId, e);
    }
  }

  /** Every missing step for one parent; how many of its calls were answered. */
  private int reconcile(Sessions sessions, String parentId) {
    Session parent;
    SessionState state;
    try {
      parent = sessions.session(parentId);
      state = parent.state();
    } catch (SessionNotFoundException e) {
      return 0;
    }
    int answered = 0;
    for (SessionState.SuspendedCall call : state.suspendedCalls()) {
      if (call.tool().equals(TOOL) && call.reason().equals(REASON)) {
        if (step(sessions, parent, state, call)) answered++;
      }
    }
    return answered;
  }

  /** Starts the call's child (once) and answers the call if the child finished. */
  private boolean step(
      Sessions sessions, Session parent, SessionState state, SessionState.SuspendedCall call) {
    JsonNode agentNode = call.arguments().get("agent");
    String agent = agentNode != null && agentNode.isString() ? agentNode.asString() : "";
    String refused = refusal(sessions, parent.id(), state, agent);
    if (refused != null) {
      return answer(
          parent, call, null, "could not start a session for agent '" + agent + "': " + refused);
    }
    Session child;
    try {
      JsonNode input = call.arguments().get("input");
      child =
          sessions
              .newSession(agent)
              .input(input == null ? JSON.nullNode() : input)
              .origin(Origin.session(parent.id(), call.callId()))
              .idempotencyKey("agent-trigger:" + parent.id() + "/" + call.callId())
              .start();
    } catch (java.util.NoSuchElementException | IllegalArgumentException e) {
      return answer(
          parent,
          call,
          null,
          "could not start a session for agent '"
              + agent
              + "': "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
    SessionState done = child.state();
    if (!done.status().isFinished()) {
      if (watched.add(child.id())) {
        child
            .finished()
            .whenCompleteAsync(
                (s, failure) -> {
                  watched.remove(child.id());
                  reconcileQuietly(sessions, parent.id());
                },
                worker);
      }
      return false;
    }
    if (done.status() == SessionStatus.COMPLETED) {
      JsonNode output = done.output();
      return answer(parent, call, output == null ? JSON.nullNode() : output, null);
    }
    String why =
        done.status() == SessionStatus.CANCELLED
            ? "the child session " + child.id() + " of agent '" + agent + "' was cancelled"
            : "the child session " + child.id() + " of agent '" + agent + "' failed";
    return answer(parent, call, null, why + describe(done));
  }

  /** Why {@code parent} may not start {@code agent}: not allowed, or too deep; null if it may. */
  private @Nullable String refusal(
      Sessions sessions, String parentId, SessionState parent, String agent) {
    Set<String> may = allowed.get(parent.agent());
    if (declared && (may == null || !may.contains(agent))) {
      return "no trigger of kind agent lets '"
          + parent.agent()
          + "' start it (the trigger files let '"
          + parent.agent()
          + "' start "
          + (may == null ? "no agent" : new TreeSet<>(may).toString())
          + "); to allow it, declare one in a trigger file: {id: "
          + parent.agent()
          + "-starts-"
          + agent
          + ", kind: agent, agent: "
          + agent
          + ", from: ["
          + parent.agent()
          + "]}";
    }
    if (may != null && !may.contains(agent)) {
      return "agent '"
          + parent.agent()
          + "' may start only "
          + new TreeSet<>(may)
          + "; allow it with AgentTriggers.builder().allow(\""
          + parent.agent()
          + "\", \""
          + agent
          + "\")";
    }
    // The chain of parents, nearest first, read until the root or one past the limit.
    List<String> chain = new ArrayList<>();
    chain.add(parent.agent() + " (" + parentId + ")");
    Origin origin = parent.origin();
    while (origin.kind() == Origin.Kind.SESSION && chain.size() <= maxDepth) {
      String id = origin.id();
      Optional<Session> up = sessions.find(id);
      if (up.isEmpty()) break;
      SessionState s = up.get().state();
      chain.add(s.agent() + " (" + id + ")");
      origin = s.origin();
    }
    if (chain.size() < maxDepth + 1) return null; // the child's depth: chain.size()
    Collections.reverse(chain);
    return "it would be nested "
        + (chain.size())
        + " deep, and maxDepth is "
        + maxDepth
        + " (chain: "
        + String.join(" -> ", chain)
        + " -> "
        + agent
        + "); a child starting children without end is the usual cause, else raise"
        + " AgentTriggers.builder().maxDepth(...)";
  }

  private static String describe(SessionState done) {
    String reason = done.failure();
    return reason == null ? "" : ": " + reason;
  }

  /** Answers the parent's call; false when it was answered already (by another node). */
  private static boolean answer(
      Session parent,
      SessionState.SuspendedCall call,
      @Nullable JsonNode output,
      @Nullable String failure) {
    try {
      if (failure == null)
        parent.completeCall(call.callId(), Objects.requireNonNullElse(output, JSON.nullNode()), BY);
      else parent.failCall(call.callId(), failure, BY);
      return true;
    } catch (IllegalStateException e) {
      return false; // answered already, or the parent was cancelled
    } catch (SessionNotFoundException e) {
      return false;
    }
  }

  private Sessions requireBound() {
    Sessions sessions = bound.get();
    if (sessions == null) {
      throw new IllegalStateException(
          "AgentTriggers is not bound: install it with Sessions.builder(mesh)"
              + ".extension(agentTriggers).build()");
    }
    return sessions;
  }

  /** Stops the sweep and the background thread; child sessions keep running in their runtime. */
  @Override
  public void close() {
    worker.shutdownNow();
  }

  /** Builds {@link AgentTriggers}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder {
    private @Nullable Duration sweepInterval = Duration.ofSeconds(10);
    private int maxDepth = 8;
    private final Map<String, Set<String>> allowed = new HashMap<>();
    private boolean declared;

    private Builder() {}

    /**
     * How often the sweep looks for steps a crash left undone; {@code null} for never (call {@link
     * #sweep()} yourself). 10 seconds by default.
     *
     * @param interval the interval, positive, or null
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
     * How deep children may nest (default 8): a root session's child is 1 deep, its child 2. A call
     * that would start a child deeper fails, naming the chain of agents and sessions, instead of
     * starting it.
     *
     * @param depth 1 to 100
     * @return this builder
     */
    public Builder maxDepth(int depth) {
      if (depth < 1 || depth > 100) {
        throw new IllegalArgumentException("maxDepth must be between 1 and 100 but was " + depth);
      }
      this.maxDepth = depth;
      return this;
    }

    /**
     * Lets agent {@code parent} start sessions of these agents only (calls add up). An agent never
     * named here may start any agent of the mesh; one named may start only the agents listed for
     * it, and a call for another fails, saying which are allowed.
     *
     * @param parent the agent that calls {@value AgentTriggers#TOOL}
     * @param children the agents it may start
     * @return this builder
     */
    public Builder allow(String parent, String... children) {
      Objects.requireNonNull(parent, "parent");
      Set<String> set = allowed.computeIfAbsent(parent, p -> new HashSet<>());
      for (String child : children) set.add(Objects.requireNonNull(child, "child"));
      return this;
    }

    /**
     * Enforces declared starts: from now on an agent may start only the agents that a trigger of
     * kind {@link TriggerKind#AGENT} declares for it ({@code from: [parent]}, see {@link
     * TriggerSpec#fromAgents}), plus any {@link #allow}ed; a call for another agent, or from an
     * agent no trigger names, fails with a message that says what was asked, what is allowed and
     * how to declare it. Triggers of other kinds are ignored, so a whole loaded directory can be
     * passed (calls add up).
     *
     * @param triggers declared triggers, such as {@link TriggerBinding#agentStarts()}
     * @return this builder
     */
    public Builder declared(Collection<TriggerSpec> triggers) {
      for (TriggerSpec t : triggers) {
        if (t.kind() != TriggerKind.AGENT) continue;
        for (String parent : t.from())
          allowed.computeIfAbsent(parent, p -> new HashSet<>()).add(t.agent());
      }
      this.declared = true;
      return this;
    }

    /**
     * The agent triggers.
     *
     * @return a new instance, not yet bound
     */
    public AgentTriggers build() {
      return new AgentTriggers(this);
    }
  }
}
