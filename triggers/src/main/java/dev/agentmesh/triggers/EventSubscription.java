package dev.agentmesh.triggers;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An event trigger: the events it takes (topic patterns and a filter) and the session it starts for
 * each (an agent, and an input mapped from the event's payload). Immutable.
 *
 * <pre>{@code
 * EventSubscription enrich = EventSubscription.builder("signup-enrichment")
 *     .topic("signups.*")                          // signups.eu, signups.us
 *     .filter(EventFilter.field("/plan", "pro"))
 *     .agent("enricher")
 *     .input(InputMapping.fields(Map.of("email", "/user/email")))
 *     .build();
 * }</pre>
 *
 * <p>The id names the trigger: sessions it starts have the origin {@code Origin.event(id,
 * eventId)}, and it is part of the key that starts at most one session per event (see {@link
 * EventBus}).
 */
public final class EventSubscription {

  /** The longest subscription id accepted. */
  public static final int MAX_ID_LENGTH = 200;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final String id;
  private final List<String> topics;
  private final EventFilter filter;
  private final String agent;
  private final InputMapping input;

  private EventSubscription(Builder b, String agent) {
    this.id = b.id;
    this.topics = List.copyOf(b.topics);
    this.filter = b.filter == null ? EventFilter.any() : b.filter;
    this.agent = agent;
    this.input = b.input;
  }

  /**
   * Starts a subscription.
   *
   * @param id the trigger's name: letters, digits, {@code .}, {@code _} and {@code -}, at most
   *     {@value #MAX_ID_LENGTH} characters
   * @return a builder
   * @throws IllegalArgumentException if the id is not such a name
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** {@return the trigger's name} */
  public String id() {
    return id;
  }

  /** {@return the topic patterns it listens on} */
  public List<String> topics() {
    return topics;
  }

  /** {@return the agent whose session it starts} */
  public String agent() {
    return agent;
  }

  /** {@return how an event's payload becomes the agent's input} */
  public InputMapping input() {
    return input;
  }

  /**
   * Whether this subscription takes {@code event}: one of its topic patterns matches the event's
   * topic, and its filter takes it.
   *
   * @param event the event
   * @return true when it starts a session for the event
   */
  public boolean takes(Event event) {
    return topics.stream().anyMatch(p -> Topics.matches(p, event.topic())) && filter.test(event);
  }

  @Override
  public String toString() {
    return "EventSubscription{" + id + " " + topics + " -> " + agent + "}";
  }

  /** Builds an {@link EventSubscription}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder {
    private final String id;
    private final List<String> topics = new ArrayList<>();
    private @Nullable EventFilter filter;
    private @Nullable String agent;
    private InputMapping input = InputMapping.whole();

    private Builder(String id) {
      Objects.requireNonNull(id, "id");
      if (id.length() > MAX_ID_LENGTH || !ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "A subscription id is a name of letters, digits, '.', '_' and '-' (at most "
                + MAX_ID_LENGTH
                + " characters, starting with a letter or digit) but was '"
                + (id.length() > 60 ? id.substring(0, 60) + "..." : id)
                + "'");
      }
      this.id = id;
    }

    /**
     * A topic pattern to listen on (at least one): a topic ({@code signups.eu}), or a pattern where
     * {@code *} stands for one word and {@code #} for zero or more ({@code signups.*}, {@code #}).
     *
     * @param pattern the topic or pattern
     * @return this builder
     * @throws IllegalArgumentException if {@code *} or {@code #} is part of a longer word
     */
    public Builder topic(String pattern) {
      topics.add(Topics.checkPattern(pattern));
      return this;
    }

    /**
     * Which events of its topics to take (default: all). Called again, both filters must take an
     * event.
     *
     * @param filter the filter
     * @return this builder
     */
    public Builder filter(EventFilter filter) {
      Objects.requireNonNull(filter, "filter");
      this.filter = this.filter == null ? filter : this.filter.and(filter);
      return this;
    }

    /**
     * The agent whose session each event starts (required).
     *
     * @param agent the agent's name in the mesh
     * @return this builder
     */
    public Builder agent(String agent) {
      this.agent = Objects.requireNonNull(agent, "agent");
      return this;
    }

    /**
     * How the event's payload becomes the agent's input (default: the whole payload).
     *
     * @param input the mapping
     * @return this builder
     */
    public Builder input(InputMapping input) {
      this.input = Objects.requireNonNull(input, "input");
      return this;
    }

    /**
     * Builds the subscription.
     *
     * @return the subscription
     * @throws IllegalStateException if no topic or no agent was given
     */
    public EventSubscription build() {
      if (topics.isEmpty()) {
        throw new IllegalStateException(
            "Subscription '" + id + "' listens on no topic: add .topic(\"signups.*\") (or \"#\")");
      }
      if (agent == null) {
        throw new IllegalStateException(
            "Subscription '" + id + "' starts no agent: add .agent(\"name\")");
      }
      return new EventSubscription(this, agent);
    }
  }
}
