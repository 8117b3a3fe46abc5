package dev.agentmesh.triggers;

import dev.agentmesh.core.internal.crypto.WebhookCrypto;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.Sessions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * An in-process event bus that starts sessions: each {@link EventSubscription} that takes a
 * published {@link Event} (by topic pattern and filter) starts one session of its agent, with an
 * input mapped from the event's payload, at most once per event id. Built once, shared, immutable
 * and thread-safe.
 *
 * <pre>{@code
 * EventBus bus = EventBus.builder(sessions)
 *     .subscribe(EventSubscription.builder("signup-enrichment")
 *         .topic("signups.*").agent("enricher").build())
 *     .build();
 * Published published = bus.publish(Event.of("signups.eu", "msg-81f3", signup));
 * }</pre>
 *
 * <p>{@link #publish} is synchronous: when it returns, every session it reports is in the store
 * (created by this call or found from an earlier publish of the same event id). It first maps and
 * checks the input of every subscription that takes the event, so an event that one of them rejects
 * ({@link EventRejectedException}) starts no session at all. Then it starts the sessions, one
 * create-once start per subscription under the key {@code event:<subscription>:<event id>} (when
 * longer than 512 characters: {@code event:<subscription>:sha256:<hex of the event id>}), so
 * publishing the same event again, from any node on the same store, starts nothing new. A store
 * failure propagates; some sessions may have been started by then, and publishing the event again
 * starts only the missing ones.
 */
public final class EventBus {

  private static final int MAX_KEY = 512;

  private final Sessions sessions;
  private final List<EventSubscription> subscriptions;

  private EventBus(Sessions sessions, List<EventSubscription> subscriptions) {
    this.sessions = sessions;
    this.subscriptions = List.copyOf(subscriptions);
  }

  /**
   * A builder of a bus whose subscriptions start sessions in {@code sessions}.
   *
   * @param sessions where the sessions are started
   * @return a builder
   */
  public static Builder builder(Sessions sessions) {
    return new Builder(sessions);
  }

  /** {@return the subscriptions, in the order they were added} */
  public List<EventSubscription> subscriptions() {
    return subscriptions;
  }

  /**
   * Starts a session for every subscription that takes the event, once per event id.
   *
   * @param event the event
   * @return the sessions started or found, one per subscription that took the event
   * @throws EventRejectedException if a subscription's input cannot be made from the payload or
   *     fails its agent's input schema; no session was started
   * @throws dev.agentmesh.sessions.spi.SessionStoreException if the store fails; publish the event
   *     again later
   */
  public Published publish(Event event) {
    Objects.requireNonNull(event, "event");
    List<Planned> planned = new ArrayList<>();
    for (EventSubscription subscription : subscriptions) {
      if (subscription.takes(event)) {
        planned.add(new Planned(subscription, input(subscription, event)));
      }
    }
    List<Published.Started> started = new ArrayList<>(planned.size());
    for (Planned p : planned) {
      started.add(start(p, event));
    }
    return new Published(event.id(), started);
  }

  @Override
  public String toString() {
    return "EventBus" + subscriptions;
  }

  /** The create-once key of one subscription's session for one event. */
  static String key(String subscription, String eventId) {
    String key = "event:" + subscription + ":" + eventId;
    if (key.length() <= MAX_KEY) {
      return key;
    }
    return "event:"
        + subscription
        + ":sha256:"
        + WebhookCrypto.hex(Jitter.sha256(eventId.getBytes(StandardCharsets.UTF_8)));
  }

  private JsonNode input(EventSubscription subscription, Event event) {
    JsonNode input;
    try {
      input = subscription.input().apply(event.payload());
    } catch (InputMappingException e) {
      throw new EventRejectedException(
          EventRejectedException.Reason.INPUT_MAPPING,
          subscription.id(),
          "Event '"
              + shown(event.id())
              + "' does not map to the input of subscription '"
              + subscription.id()
              + "': "
              + e.getMessage());
    }
    List<String> problems = sessions.mesh().agent(subscription.agent()).inputProblems(input);
    if (!problems.isEmpty()) {
      throw new EventRejectedException(
          EventRejectedException.Reason.INPUT_SCHEMA,
          subscription.id(),
          "Event '"
              + shown(event.id())
              + "' maps to an input that agent '"
              + subscription.agent()
              + "' of subscription '"
              + subscription.id()
              + "' refuses: "
              + String.join("; ", problems));
    }
    return input;
  }

  private Published.Started start(Planned p, Event event) {
    String id = sessions.newId();
    Session session =
        sessions
            .newSession(p.subscription.agent())
            .id(id)
            .input(p.input)
            .origin(Origin.event(p.subscription.id(), event.id()))
            .idempotencyKey(key(p.subscription.id(), event.id()))
            .start();
    return new Published.Started(p.subscription.id(), session.id(), session.id().equals(id));
  }

  /** At most 80 characters of an id, for messages. */
  static String shown(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }

  private record Planned(EventSubscription subscription, JsonNode input) {}

  /** Builds an {@link EventBus}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder {
    private final Sessions sessions;
    private final List<EventSubscription> subscriptions = new ArrayList<>();

    private Builder(Sessions sessions) {
      this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    /**
     * Adds a subscription.
     *
     * @param subscription the subscription
     * @return this builder
     * @throws IllegalArgumentException if its agent is not in the sessions' mesh
     */
    public Builder subscribe(EventSubscription subscription) {
      Objects.requireNonNull(subscription, "subscription");
      try {
        sessions.mesh().agent(subscription.agent());
      } catch (NoSuchElementException e) {
        throw new IllegalArgumentException(
            "Subscription '" + subscription.id() + "': " + e.getMessage(), e);
      }
      subscriptions.add(subscription);
      return this;
    }

    /**
     * Builds the bus.
     *
     * @return the bus
     * @throws IllegalStateException if two subscriptions share an id
     */
    public EventBus build() {
      Set<String> ids = new HashSet<>();
      for (EventSubscription s : subscriptions) {
        if (!ids.add(s.id())) {
          throw new IllegalStateException(
              "Two subscriptions are named '"
                  + s.id()
                  + "'; the id keys their sessions, so give each its own");
        }
      }
      return new EventBus(sessions, subscriptions);
    }
  }
}
