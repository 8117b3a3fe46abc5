package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentmesh.core.Mesh;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.ParticipantRole;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testing.FakeClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Written from docs/triggers.md only, as a new user would: each test checks one promise. */
class NewUserTriggersTest {

  private static final Instant MONDAY = Instant.parse("2026-03-02T07:59:00Z");
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  private final FakeClock clock = FakeClock.at(MONDAY);
  private final SessionStore store = InMemorySessionStore.create();
  private final Mesh mesh = Meshes.echo();
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private Sessions sessions(String node) {
    Sessions s = Sessions.builder(mesh).store(store).clock(clock).nodeId(node).build();
    opened.add(s);
    return s;
  }

  private int sessionCount(Sessions sessions) {
    return sessions.query(SessionQuery.builder().agent("triage").build()).sessions().size();
  }

  @Test
  void aCronOccurrenceFiresOnceAcrossTwoTriggersOnOneStore() {
    List<Triggers> nodes = new ArrayList<>();
    for (String node : List.of("n1", "n2")) {
      Triggers t =
          Triggers.builder(sessions(node))
              .add(
                  TriggerDefinition.cron("daily-digest", "0 9 * * MON-FRI")
                      .zone(ZoneId.of("Europe/Berlin"))
                      .agent("triage")
                      .build())
              .clock(clock)
              .build();
      opened.add(t);
      nodes.add(t);
    }
    clock.set(Instant.parse("2026-03-02T08:00:40Z"));
    TickReport first = nodes.get(0).tick();
    TickReport second = nodes.get(1).tick();
    assertThat(first.started() + second.started()).isEqualTo(1);
    assertThat(nodes.get(1).tick().started() + nodes.get(0).tick().started()).isZero();

    Instant at = Instant.parse("2026-03-02T08:00:00Z");
    Sessions reader = sessions("reader");
    assertThat(
            reader
                .query(SessionQuery.builder().origin(Origin.cron("daily-digest", at)).build())
                .sessions())
        .hasSize(1);
    assertThat(nodes.get(1).claims("daily-digest", MONDAY, clock.instant(), 100))
        .singleElement()
        .satisfies(c -> assertThat(c.scheduledAt()).isEqualTo(at));
  }

  @Test
  void aPausedTriggerFiresNothingOnAnyNodeAndMissedOccurrencesNeverFireAfterResume() {
    Triggers a =
        Triggers.builder(sessions("n1"))
            .add(
                TriggerDefinition.interval("sync", Duration.ofMinutes(15), MONDAY)
                    .agent("triage")
                    .build())
            .clock(clock)
            .build();
    Triggers b =
        Triggers.builder(sessions("n2"))
            .add(
                TriggerDefinition.interval("sync", Duration.ofMinutes(15), MONDAY)
                    .agent("triage")
                    .build())
            .clock(clock)
            .build();
    opened.add(a);
    opened.add(b);
    a.pause("sync", "ana");
    assertThat(b.isPaused("sync")).isTrue();
    clock.advance(Duration.ofMinutes(16));
    assertThat(a.tick().started() + b.tick().started()).isZero();
    b.resume("sync", "ana");
    assertThat(a.tick().started() + b.tick().started()).isZero();
    clock.advance(Duration.ofMinutes(15));
    assertThat(a.tick().started() + b.tick().started()).isEqualTo(1);
  }

  @Test
  void aBadCronIsRefusedWithWhatWhereAndHowToFix() {
    ScheduleException e =
        catchThrowableOfType(
            ScheduleException.class, () -> Schedule.cron("0 24 * * *", ZoneId.of("UTC")));
    assertThat(e.getMessage())
        .isEqualTo(
            "cron \"0 24 * * *\" (unix): hour (field 2, column 3): expected a value from 0 to 23"
                + " but found 24. Fix: use 0-23");
    assertThat(e.field()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(3);
    assertThat(
            Schedule.cron("0 9 * * MON-FRI", ZoneId.of("Europe/Berlin"))
                .nextAfter(Instant.parse("2026-11-27T12:00:00Z")))
        .isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
    assertThat(Schedule.cron("0 0 31 2 *", ZoneId.of("UTC")).nextAfter(MONDAY)).isNull();
  }

  @Test
  void aYamlErrorNamesFileLineAndColumnAndNeverRepeatsASecret() {
    String yaml =
        """
        triggers:
          - id: weekly
            kind: cron
            agent: triage
            schedule: "0 9 * * MON-FRY"
          - id: hook
            kind: webhook
            agent: triage
            verification:
              scheme: standard-webhooks
              secret: hunter2-plain-value
        """;
    TriggerSpecException e =
        catchThrowableOfType(
            TriggerSpecException.class, () -> TriggerSpecs.parse(yaml, "triggers/t.yaml"));
    assertThat(e.problems()).hasSize(2);
    assertThat(e.problems().get(0).toString())
        .startsWith("triggers/t.yaml:5:28: field 'schedule': cron \"0 9 * * MON-FRY\" (unix):")
        .contains("day-of-week (field 5, column 13)");
    assertThat(e.problems().get(1).toString())
        .startsWith("triggers/t.yaml:11:")
        .contains("'verification.secret'");
    assertThat(e.getMessage()).doesNotContain("hunter2");
  }

  @Test
  void hostileYamlOnlyEverThrowsTriggerSpecException() {
    for (String text :
        List.of(
            "",
            "triggers: 3",
            "triggers: [",
            "- a\n- b",
            "triggers:\n  - id: x\n    kind: cron\n    schedule: [1, 2]\n    agent: {a: b}",
            "triggers:\n  - &a [*a]",
            "triggers:\n  - id: x\n    kind: once\n    at: yesterday\n    agent: triage",
            "{\"triggers\": [{\"id\": \"x\", \"id\": \"y\"}]}")) {
      assertThatThrownBy(() -> TriggerSpecs.parse(text, "t.yaml"))
          .as(text)
          .isInstanceOf(TriggerSpecException.class);
    }
  }

  private WebhookHandler webhooks(Sessions sessions) {
    WebhookTrigger hook =
        WebhookTrigger.builder("zendesk")
            .agent("triage")
            .verifier(
                WebhookVerifier.builder(WebhookScheme.STANDARD_WEBHOOKS)
                    .secret(SECRET)
                    .clock(clock)
                    .build())
            .build();
    return WebhookHandler.builder(sessions).trigger(hook).build();
  }

  private WebhookRequest signed(String id, String body) {
    return WebhookRequest.of(
        "POST", "/webhooks/zendesk", headers(id, body), body.getBytes(StandardCharsets.UTF_8));
  }

  private Map<String, List<String>> headers(String id, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Map<String, List<String>> headers = new HashMap<>();
    WebhookVerifier.builder(WebhookScheme.STANDARD_WEBHOOKS)
        .secret(SECRET)
        .clock(clock)
        .build()
        .sign(id, bytes)
        .forEach((k, v) -> headers.put(k, List.of(v)));
    headers.put("Content-Type", List.of("application/json"));
    return headers;
  }

  private static String field(WebhookResponse response, String name) {
    return JsonMapper.builder().build().readTree(response.body()).path(name).asString();
  }

  @Test
  void aReplayedWebhookAnswers200WithTheFirstSession() {
    Sessions sessions = sessions("n1");
    WebhookHandler handler = webhooks(sessions);
    WebhookRequest request = signed("msg_1", "{\"ticket\":{\"subject\":\"help\"}}");
    WebhookResponse first = handler.handle(request);
    assertThat(first.status()).isEqualTo(202);
    assertThat(field(first, "status")).isEqualTo("accepted");
    String session = field(first, "session");

    clock.advance(Duration.ofSeconds(30)); // a re-send: new timestamp, same webhook-id
    WebhookResponse again = handler.handle(signed("msg_1", "{\"ticket\":{\"subject\":\"help\"}}"));
    assertThat(again.status()).isEqualTo(200);
    assertThat(field(again, "status")).isEqualTo("duplicate");
    assertThat(field(again, "session")).isEqualTo(session);
    // a second node on the same store sees the same delivery as a duplicate too
    WebhookResponse other = webhooks(sessions("n2")).handle(request);
    assertThat(other.status()).isEqualTo(200);
    assertThat(field(other, "session")).isEqualTo(session);
    assertThat(sessionCount(sessions)).isEqualTo(1);
    assertThat(sessions.find(session).orElseThrow().state().origin())
        .isEqualTo(Origin.webhook("zendesk", "msg_1"));
  }

  @Test
  void noBadRequestCreatesASession() {
    Sessions sessions = sessions("n1");
    WebhookHandler handler = webhooks(sessions);
    WebhookRequest good = signed("msg_2", "{\"a\":1}");
    Map<String, List<String>> goodHeaders = headers("msg_2", "{\"a\":1}");
    WebhookRequest tampered =
        WebhookRequest.of(
            "POST", "/webhooks/zendesk", goodHeaders, "{\"a\":2}".getBytes(StandardCharsets.UTF_8));
    WebhookResponse bad = handler.handle(tampered);
    assertThat(bad.status()).isEqualTo(401);
    assertThat(bad.body()).contains("unauthorized").doesNotContain(SECRET.substring(6, 20));
    assertThat(
            handler
                .handle(WebhookRequest.of("GET", "/webhooks/zendesk", goodHeaders, new byte[0]))
                .status())
        .isEqualTo(405);
    assertThat(
            handler
                .handle(WebhookRequest.of("POST", "/webhooks/other", goodHeaders, good.body()))
                .status())
        .isEqualTo(404);
    WebhookRequest notJson = signed("msg_3", "{\"a\":1} trailing");
    assertThat(handler.handle(notJson).status()).isEqualTo(400);
    WebhookRequest dupKeys = signed("msg_4", "{\"a\":1,\"a\":2}");
    assertThat(handler.handle(dupKeys).status()).isEqualTo(400);
    clock.advance(Duration.ofMinutes(6)); // outside the 5 minute tolerance
    assertThat(handler.handle(good).status()).isEqualTo(401);
    assertThat(sessionCount(sessions)).isZero();
  }

  @Test
  void aHumanTriggerRefusesAnUnknownCredentialAndStartsADoubleSubmitOnce() {
    Sessions sessions = sessions("n1");
    Map<String, String> tokens = Map.of("tok-ana", "ana");
    HumanTrigger humans =
        HumanTrigger.builder(sessions)
            .authenticator(
                credential -> {
                  String person = tokens.get(credential);
                  if (person == null) throw new StartRefusedException("unknown token");
                  return person;
                })
            .build();
    assertThatThrownBy(() -> humans.start("forged", "triage").input("x").start())
        .isInstanceOf(StartRefusedException.class);
    assertThat(sessionCount(sessions)).isZero();

    Session one = humans.start("tok-ana", "triage").input("hi").idempotencyKey("form-1").start();
    Session two = humans.start("tok-ana", "triage").input("hi").idempotencyKey("form-1").start();
    assertThat(two.id()).isEqualTo(one.id());
    assertThat(one.state().origin()).isEqualTo(Origin.human("ana"));
    assertThat(one.state().participants()).containsEntry("ana", ParticipantRole.OWNER);
    assertThatThrownBy(
            () -> humans.start("tok-ana", "triage").participant("bo", ParticipantRole.OWNER))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(sessionCount(sessions)).isEqualTo(1);
  }

  @Test
  void anEventPublishedTwiceStartsOneSession() {
    Sessions sessions = sessions("n1");
    EventBus bus =
        EventBus.builder(sessions)
            .subscribe(
                EventSubscription.builder("signup-enrichment")
                    .topic("signups.*")
                    .filter(EventFilter.field("/plan", "pro"))
                    .agent("triage")
                    .build())
            .build();
    var signup = JsonMapper.builder().build().readTree("{\"plan\":\"pro\"}");
    Event event = Event.of("signups.eu", "msg-81f3", signup);
    Published first = bus.publish(event);
    Published again = bus.publish(event);
    assertThat(first.sessions()).singleElement().satisfies(s -> assertThat(s.created()).isTrue());
    assertThat(again.sessions()).singleElement().satisfies(s -> assertThat(s.created()).isFalse());
    assertThat(again.sessions().get(0).sessionId()).isEqualTo(first.sessions().get(0).sessionId());
    var free = JsonMapper.builder().build().readTree("{\"plan\":\"free\"}");
    assertThat(bus.publish(Event.of("signups.eu", "msg-2", free)).sessions()).isEmpty();
    assertThat(bus.publish(Event.of("orders.eu", "msg-3", signup)).sessions()).isEmpty();
    assertThat(sessionCount(sessions)).isEqualTo(1);
  }
}
