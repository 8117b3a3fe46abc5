package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionStoreException;
import dev.agentmesh.testsupport.Seeds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class EventBusTest {

  private final InMemorySessionStore store = InMemorySessionStore.create();
  private final Sessions sessions = EventMesh.sessions(store);

  @AfterEach
  void close() {
    sessions.close();
  }

  @ParameterizedTest(name = "{0} on {1}: {2}")
  @CsvSource({
    "signups.eu, signups.eu, true",
    "signups.eu, signups.us, false",
    "signups.*, signups.eu, true",
    "signups.*, signups, false",
    "signups.*, signups.eu.web, false",
    "signups.#, signups, true",
    "signups.#, signups.eu.web, true",
    "#, anything.at.all, true",
    "*.eu, signups.eu, true",
    "*.eu, eu, false",
    "#.web, signups.eu.web, true",
    "#.web, signups.eu.app, false",
    "signups.*.web, signups.eu.web, true",
    "signups.*.web, signups.web, false",
  })
  void topicPatternsMatchAsRabbitMqTopicExchangesDo(String pattern, String topic, boolean match) {
    assertThat(Topics.matches(Topics.checkPattern(pattern), topic)).isEqualTo(match);
  }

  @Test
  void aWildcardInsideAWordIsRefusedWithTheFix() {
    assertThatThrownBy(() -> EventSubscription.builder("s").topic("signups.e*"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Topic pattern 'signups.e*': expected '*' or '#' to stand alone as a word but found"
                + " 'e*'. Fix: '*' matches exactly one word and '#' zero or more, as in"
                + " 'signups.*' or 'orders.#'");
  }

  @Test
  void filtersOnHeadersAndPayloadFieldsChooseTheEventsThatStartSessions() {
    EventBus bus =
        EventBus.builder(sessions)
            .subscribe(
                EventSubscription.builder("pro-signups")
                    .topic("signups.*")
                    .filter(EventFilter.field("/plan", "pro"))
                    .filter(EventFilter.header("source", "web"))
                    .filter(EventFilter.fieldPresent("/test").negate())
                    .agent("enricher")
                    .build())
            .build();
    Map<String, Object> pro = Map.of("email", "ana@example.com", "plan", "pro");

    assertThat(bus.publish(Event.of("signups.eu", "1", pro).withHeader("source", "web")).sessions())
        .hasSize(1);
    assertThat(bus.publish(Event.of("signups.eu", "2", pro)).sessions()).isEmpty(); // no header
    assertThat(bus.publish(Event.of("signups.eu", "3", pro).withHeader("source", "app")).sessions())
        .isEmpty();
    assertThat(
            bus.publish(
                    Event.of("signups.eu", "4", Map.of("email", "bo@example.com", "plan", "free"))
                        .withHeader("source", "web"))
                .sessions())
        .isEmpty();
    assertThat(
            bus.publish(
                    Event.of(
                            "signups.eu",
                            "5",
                            Map.of("email", "cy@example.com", "plan", "pro", "test", true))
                        .withHeader("source", "web"))
                .sessions())
        .isEmpty();
    assertThat(bus.publish(Event.of("orders.eu", "6", pro).withHeader("source", "web")).sessions())
        .isEmpty(); // another topic
    assertThat(EventMesh.all(store)).hasSize(1);
  }

  @Test
  void numbersInAFieldFilterCompareByValue() {
    EventFilter big = EventFilter.field("/seats", 10);
    assertThat(big.test(Event.of("t", "1", Map.of("seats", 10.0)))).isTrue();
    assertThat(big.test(Event.of("t", "2", Map.of("seats", 10L)))).isTrue();
    assertThat(big.test(Event.of("t", "3", Map.of("seats", "10")))).isFalse();
    assertThat(EventFilter.any().or(big).test(Event.of("t", "4", Map.of()))).isTrue();
  }

  @Test
  void eachSubscriptionThatTakesAnEventStartsOneSessionAndARepublishStartsNone() {
    EventBus bus = twoSubscriptions();
    Event event = Event.of("signups.eu", "msg-1", Map.of("email", "ana@example.com"));

    Published first = bus.publish(event);
    Published again = bus.publish(event);

    assertThat(first.sessions())
        .extracting(Published.Started::subscription, Published.Started::created)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("enrich", true),
            org.assertj.core.groups.Tuple.tuple("notify", true));
    assertThat(again.sessions()).allSatisfy(s -> assertThat(s.created()).isFalse());
    assertThat(again.sessions())
        .extracting(Published.Started::sessionId)
        .isEqualTo(first.sessions().stream().map(Published.Started::sessionId).toList());
    assertThat(EventMesh.all(store)).hasSize(2);
    assertThat(sessions.session(first.sessions().get(0).sessionId()).state().origin())
        .isEqualTo(Origin.event("enrich", "msg-1"));
  }

  @Test
  void anEventOneSubscriptionCannotMapStartsNoSessionAtAll() {
    EventBus bus =
        EventBus.builder(sessions)
            .subscribe(
                EventSubscription.builder("notify").topic("signups.*").agent("notifier").build())
            .subscribe(
                EventSubscription.builder("enrich")
                    .topic("signups.*")
                    .agent("enricher")
                    .input(InputMapping.fields(Map.of("email", "/user/email")))
                    .build())
            .build();

    assertThatThrownBy(() -> bus.publish(Event.of("signups.eu", "m-1", Map.of("user", Map.of()))))
        .isInstanceOfSatisfying(
            EventRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(EventRejectedException.Reason.INPUT_MAPPING);
              assertThat(e.subscription()).isEqualTo("enrich");
            })
        .hasMessageStartingWith(
            "Event 'm-1' does not map to the input of subscription 'enrich': Input field 'email'");
    assertThat(EventMesh.all(store)).isEmpty();
  }

  @Test
  void anInputTheAgentsSchemaRefusesStartsNoSession() {
    EventBus bus = twoSubscriptions();

    assertThatThrownBy(() -> bus.publish(Event.of("signups.eu", "m-2", Map.of("email", 42))))
        .isInstanceOfSatisfying(
            EventRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(EventRejectedException.Reason.INPUT_SCHEMA);
              assertThat(e.reason().code()).isEqualTo("input-schema");
            })
        .hasMessageStartingWith(
            "Event 'm-2' maps to an input that agent 'enricher' of subscription 'enrich' refuses:")
        .hasMessageNotContaining("42");
    assertThat(EventMesh.all(store)).isEmpty();
  }

  @Test
  void aStoreFailurePropagatesAndPublishingAgainStartsOnlyWhatIsMissing() {
    FlakyStore flaky = new FlakyStore();
    try (Sessions onFlaky = EventMesh.sessions(flaky)) {
      EventBus bus =
          EventBus.builder(onFlaky)
              .subscribe(
                  EventSubscription.builder("enrich").topic("signups.*").agent("enricher").build())
              .subscribe(
                  EventSubscription.builder("notify").topic("signups.*").agent("notifier").build())
              .build();
      Event event = Event.of("signups.eu", "m-3", Map.of("email", "ana@example.com"));
      flaky.afterCreate(id -> flaky.down(true)); // the first session is stored, then the outage

      assertThatThrownBy(() -> bus.publish(event)).isInstanceOf(SessionStoreException.class);
      assertThat(EventMesh.all(flaky)).hasSize(1);

      flaky.afterCreate(id -> {});
      flaky.down(false);
      Published retried = bus.publish(event);

      assertThat(retried.sessions())
          .extracting(Published.Started::created)
          .containsExactly(false, true);
      assertThat(EventMesh.all(flaky)).hasSize(2);
    }
  }

  @Test
  void aVeryLongEventIdIsHashedIntoTheKeyAndStillDeduplicates() {
    String longId = "x".repeat(Event.MAX_ID_LENGTH);
    assertThat(EventBus.key("enrich", longId))
        .startsWith("event:enrich:sha256:")
        .hasSize("event:enrich:sha256:".length() + 64);
    assertThat(EventBus.key("enrich", "m-1")).isEqualTo("event:enrich:m-1");
    EventBus bus = twoSubscriptions();
    Event event = Event.of("signups.eu", longId, Map.of("email", "ana@example.com"));
    bus.publish(event);
    assertThat(bus.publish(event).sessions()).noneMatch(Published.Started::created);
    assertThat(EventMesh.all(store)).hasSize(2);
  }

  @Test
  void aSubscriptionOfAnUnknownAgentOrATakenIdIsRefusedAtBuild() {
    assertThatThrownBy(
            () ->
                EventBus.builder(sessions)
                    .subscribe(EventSubscription.builder("s").topic("t").agent("enrichr").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Subscription 's': No agent named 'enrichr'");
    EventSubscription one = EventSubscription.builder("s").topic("t").agent("enricher").build();
    assertThatThrownBy(() -> EventBus.builder(sessions).subscribe(one).subscribe(one).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Two subscriptions are named 's'; the id keys their sessions, so give each its own");
    assertThatThrownBy(() -> EventSubscription.builder("s").agent("enricher").build())
        .hasMessage("Subscription 's' listens on no topic: add .topic(\"signups.*\") (or \"#\")");
  }

  static Stream<Long> seeds() {
    return Seeds.of(5);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void concurrentPublishesOfTheSameEventsStartOneSessionPerEventAndSubscription(long seed)
      throws Exception {
    Seeds.print(getClass(), seed);
    Random random = new Random(seed);
    EventBus bus = twoSubscriptions();
    int events = 5 + random.nextInt(20);
    List<Callable<Published>> publishes = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      Event event = Event.of("signups.eu", "m-" + i, Map.of("email", i + "@example.com"));
      for (int copy = 0; copy < 2 + random.nextInt(4); copy++) {
        publishes.add(() -> bus.publish(event));
      }
    }
    java.util.Collections.shuffle(publishes, random);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    Set<String> created = new HashSet<>();
    try {
      for (Future<Published> f : pool.invokeAll(publishes)) {
        f.get().sessions().stream()
            .filter(Published.Started::created)
            .forEach(s -> assertThat(created.add(s.sessionId())).isTrue());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(created).hasSize(2 * events);
    assertThat(EventMesh.all(store)).hasSize(2 * events);
  }

  private EventBus twoSubscriptions() {
    return EventBus.builder(sessions)
        .subscribe(EventSubscription.builder("enrich").topic("signups.*").agent("enricher").build())
        .subscribe(EventSubscription.builder("notify").topic("signups.#").agent("notifier").build())
        .build();
  }
}
