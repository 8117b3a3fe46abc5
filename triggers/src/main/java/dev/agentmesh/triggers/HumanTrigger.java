package dev.agentmesh.triggers;

import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.ParticipantRole;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.Sessions;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Starts sessions on behalf of authenticated people. The person's id comes only from the host's
 * {@link Authenticator}, given the credential of the request (a token, a verified session cookie, a
 * principal): the session records {@code Origin.human(id)} and the person as its first participant,
 * with the role {@code OWNER}. There is no way through this class to name a person without a
 * credential that the authenticator accepted.
 *
 * <pre>{@code
 * HumanTrigger humans = HumanTrigger.builder(sessions)
 *     .authenticator(credential -> tokens.verify((String) credential).subject())
 *     .build();
 * Session session = humans.start(bearerToken, "triage").input("My invoice is wrong").start();
 * session.state().origin();                 // human:ana
 * }</pre>
 *
 * <p>Given the declared triggers ({@link Builder#declared}), it starts only the agents a trigger of
 * kind {@code human} declares, and refuses any other once the person is authenticated (a caller the
 * authenticator refuses learns nothing of which agents people may start).
 *
 * <p>Immutable and thread-safe; share one instance.
 */
public final class HumanTrigger {

  /**
   * Tells who a credential belongs to. Supplied by the host.
   *
   * <p>Called on the thread that starts the session, once per start; it may block (a token check
   * over the network) and must be thread-safe. Return the person's id (at most {@link
   * Origin#MAX_ID_LENGTH} characters, not blank); throw {@link StartRefusedException} to refuse,
   * with a message that does not hold the credential. Any other exception reaches the caller of
   * {@link Start#start()} as it is. Either way no session is created.
   */
  @FunctionalInterface
  public interface Authenticator {
    /**
     * The id of the person the credential belongs to.
     *
     * @param credential what the request carried
     * @return the person's id
     * @throws StartRefusedException when the credential is not accepted
     */
    String authenticate(Object credential);
  }

  private final Sessions sessions;
  private final Authenticator authenticator;
  private final @Nullable Set<String> declared;

  private HumanTrigger(
      Sessions sessions, Authenticator authenticator, @Nullable Set<String> declared) {
    this.sessions = sessions;
    this.authenticator = authenticator;
    this.declared = declared == null ? null : Set.copyOf(declared);
  }

  /**
   * A builder over the sessions runtime the sessions are started in.
   *
   * @param sessions the sessions runtime
   * @return a new builder
   */
  public static Builder builder(Sessions sessions) {
    return new Builder(sessions);
  }

  /**
   * Describes a session for {@code agent} started by the person the credential belongs to; nothing
   * is checked or created until {@link Start#start()}.
   *
   * @param credential what the request carried, given to the authenticator
   * @param agent the agent the session is for
   * @return the description
   */
  public Start start(Object credential, String agent) {
    return new Start(Objects.requireNonNull(credential, "credential"), agent);
  }

  /**
   * A session to start on a person's behalf. Not thread-safe; {@link #start()} authenticates and
   * creates the session each time it is called (give an {@link #idempotencyKey} to create it once).
   */
  public final class Start {
    private final Object credential;
    private final String agent;
    private @Nullable Object input;
    private @Nullable String idempotencyKey;
    private final Map<String, ParticipantRole> others = new LinkedHashMap<>();

    private Start(Object credential, String agent) {
      this.credential = credential;
      this.agent = Objects.requireNonNull(agent, "agent");
    }

    /**
     * The input of the first turn: a record, a map, a JsonNode, or text.
     *
     * @param input the input
     * @return this description
     */
    public Start input(Object input) {
      this.input = Objects.requireNonNull(input, "input");
      return this;
    }

    /**
     * Another participant, invited by the person (never the {@code OWNER} role, which is the
     * person's).
     *
     * @param name the participant's id
     * @param role {@code MEMBER} or {@code OBSERVER}
     * @return this description
     */
    public Start participant(String name, ParticipantRole role) {
      if (role == ParticipantRole.OWNER) {
        throw new IllegalArgumentException(
            "the person who starts the session is its owner; invite '"
                + name
                + "' as MEMBER or OBSERVER");
      }
      others.put(Objects.requireNonNull(name, "name"), role);
      return this;
    }

    /**
     * Creates the session at most once per key (a form's submission id, so a double click starts
     * one session); see {@code Sessions.NewSession#idempotencyKey}.
     *
     * @param key the key
     * @return this description
     */
    public Start idempotencyKey(String key) {
      this.idempotencyKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * Authenticates the credential, then creates the session with the person as its origin and
     * owner.
     *
     * @return the session, running
     * @throws StartRefusedException if the authenticator refuses the credential, or (when
     *     declarations were given) no declared human trigger names the agent
     * @throws IllegalStateException if the authenticator returns an id no origin can hold
     */
    public Session start() {
      String person = authenticator.authenticate(credential);
      Set<String> may = declared;
      if (may != null && !may.contains(agent)) {
        throw new StartRefusedException(
            "no trigger of kind human lets people start agent '"
                + agent
                + "' (people may start "
                + new TreeSet<>(may)
                + "); to allow it, declare one in a trigger file: {id: "
                + agent
                + "-by-hand, kind: human, agent: "
                + agent
                + "}");
      }
      Origin origin;
      try {
        origin = Origin.human(Objects.requireNonNull(person, "the authenticator returned null"));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalStateException(
            "The authenticator returned an id no session can record: " + e.getMessage(), e);
      }
      if (others.containsKey(person)) {
        throw new IllegalArgumentException(
            "'" + person + "' starts the session and is its owner; do not invite them too");
      }
      Sessions.NewSession s =
          sessions.newSession(agent).origin(origin).participant(person, ParticipantRole.OWNER);
      others.forEach(s::participant);
      if (input != null) s.input(input);
      if (idempotencyKey != null) s.idempotencyKey(idempotencyKey);
      return s.start();
    }
  }

  /** Builds a {@link HumanTrigger}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder {
    private final Sessions sessions;
    private @Nullable Authenticator authenticator;
    private @Nullable Set<String> declared;

    private Builder(Sessions sessions) {
      this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    /**
     * Enforces declared starts: people may start only the agents that a trigger of kind {@link
     * TriggerKind#HUMAN} declares ({@link TriggerSpec#human}); {@link Start#start()} refuses any
     * other with a {@link StartRefusedException} that says how to declare it, after the
     * authenticator has accepted the credential (a refused credential is refused as without
     * declarations, and learns nothing of them). Triggers of other kinds are ignored, so a whole
     * loaded directory can be passed (calls add up).
     *
     * @param triggers declared triggers, such as {@link TriggerBinding#humanStarts()}
     * @return this builder
     */
    public Builder declared(Collection<TriggerSpec> triggers) {
      Set<String> agents = declared == null ? new HashSet<>() : declared;
      for (TriggerSpec t : triggers) if (t.kind() == TriggerKind.HUMAN) agents.add(t.agent());
      this.declared = agents;
      return this;
    }

    /**
     * Who credentials belong to. Required.
     *
     * @param authenticator the host's authenticator
     * @return this builder
     */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /**
     * The trigger.
     *
     * @return the trigger
     * @throws IllegalStateException if no authenticator was set
     */
    public HumanTrigger build() {
      if (authenticator == null) {
        throw new IllegalStateException(
            "A HumanTrigger needs an authenticator: .authenticator(credential -> personId)");
      }
      return new HumanTrigger(sessions, authenticator, declared);
    }
  }
}
