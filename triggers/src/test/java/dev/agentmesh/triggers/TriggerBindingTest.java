package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testsupport.DocsExamples;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Declarations from a YAML file, bound and run: a cron tick, a webhook delivery, an event. */
class TriggerBindingTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-03-02T07:59:00Z")); // Monday
  private final InMemorySessionStore store = InMemorySessionStore.create();
  private final Sessions sessions =
      Sessions.builder(
              Mesh.builder()
                  .model("default", request -> ChatResponse.ofText("done"))
                  .agent(AgentSpec.builder("digest").instructions("Digest.").build())
                  .agent(AgentSpec.builder("triage").instructions("Triage.").build())
                  .agent(AgentSpec.builder("enricher").instructions("Enrich.").build())
                  .build())
          .store(store)
          .clock(clock)
          .build();
  private final TriggerBinding bound =
      TriggerBinding.of(
          TriggerSpecs.loadDirectory(dir()),
          SecretResolver.from(Map.of("ZENDESK_SECRET", SECRET)),
          clock);

  @AfterEach
  void close() {
    sessions.close();
  }

  private static final Path PAGE = Path.of("../docs/triggers.md");
  private static final Path SOURCE =
      Path.of("src/test/java/dev/agentmesh/triggers/TriggerBindingTest.java");

  private static Path dir() {
    try {
      return Path.of(TriggerBindingTest.class.getResource("/bound-triggers").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void bindsEachKindToItsRuntimeObject() {
    assertThat(bound.definitions())
        .extracting(TriggerDefinition::id)
        .containsExactly("daily-digest");
    assertThat(bound.webhooks()).extracting(WebhookTrigger::path).containsExactly("/hooks/zendesk");
    assertThat(bound.subscriptions()).extracting(EventSubscription::id).containsExactly("signups");
    assertThat(bound.webhooks().get(0).input())
        .isEqualTo(InputMapping.fields(Map.of("subject", "/ticket/subject")));
    assertThat(bound.paused()).isEmpty();
  }

  @Test
  void theDocsExampleBindsEveryKind() {
    Path triggersDir = dir();
    SecretResolver resolver = SecretResolver.from(Map.of("ZENDESK_SECRET", SECRET));
    // docs:begin binding
    TriggerBinding bound =
        TriggerBinding.of(
            TriggerSpecs.loadDirectory(triggersDir), // SecretResolver.environment() in a host
            resolver,
            clock); // webhook verifiers read signed timestamps against it
    Triggers triggers = Triggers.builder(sessions).addAll(bound.definitions()).clock(clock).build();
    WebhookHandler webhooks = WebhookHandler.builder(sessions).triggers(bound.webhooks()).build();
    EventBus.Builder events = EventBus.builder(sessions);
    bound.subscriptions().forEach(events::subscribe);
    EventBus bus = events.build();
    triggers.applyDeclaredPauses(bound.paused(), "trigger file"); // a changed file is a deploy
    // docs:end
    assertThat(webhooks.bodyLimit("/hooks/zendesk"))
        .isEqualTo(WebhookTrigger.DEFAULT_MAX_BODY_BYTES);
    assertThat(bus).isNotNull();
    triggers.close();
  }

  @Test
  void everyBindingBlockOnThePageIsARegionOfThisTest() {
    DocsExamples.assertBlocksMatchRegions(PAGE, "java binding", SOURCE);
  }

  @Test
  void aCronOccurrenceFromYamlStartsASessionOnTick() {
    try (Triggers triggers =
        Triggers.builder(sessions).addAll(bound.definitions()).clock(clock).build()) {
      assertThat(triggers.tick().started()).isZero(); // 08:59 in Berlin
      clock.set(Instant.parse("2026-03-02T08:00:10Z")); // 09:00:10 in Berlin
      TickReport report = triggers.tick();
      assertThat(report.started()).isEqualTo(1);
      assertThat(triggers.tick().started()).isZero(); // once
      assertThat(triggers.claims("daily-digest", Instant.EPOCH, clock.instant(), 10)).hasSize(1);
    }
  }

  @Test
  void aWebhookFromYamlAnswers202ThenTheSameSessionOnReplay() {
    WebhookHandler handler = WebhookHandler.builder(sessions).triggers(bound.webhooks()).build();
    WebhookVerifier signer =
        WebhookVerifier.builder(WebhookScheme.STANDARD_WEBHOOKS)
            .secret(SECRET)
            .clock(clock)
            .build();
    byte[] body = "{\"ticket\":{\"subject\":\"Refund\"}}".getBytes(StandardCharsets.UTF_8);
    WebhookRequest.Builder request =
        WebhookRequest.builder()
            .path("/hooks/zendesk")
            .header("Content-Type", "application/json")
            .body(body);
    signer.sign("msg_1", body).forEach(request::header);
    WebhookRequest delivery = request.build();

    WebhookResponse first = handler.handle(delivery);
    WebhookResponse replay = handler.handle(delivery);

    assertThat(first.status()).isEqualTo(202);
    assertThat(replay.status()).isEqualTo(200);
    assertThat(EventMesh.all(store))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(first.body()).contains(s.id());
              assertThat(replay.body()).contains(s.id()); // the first delivery's session
            });
  }

  @Test
  void anEventFromYamlStartsASession() {
    EventBus.Builder builder = EventBus.builder(sessions);
    bound.subscriptions().forEach(builder::subscribe);
    EventBus bus = builder.build();

    Published published =
        bus.publish(
            Event.of("signups", "msg-1", Event.JSON.readTree("{\"user\":{\"email\":\"a@b.c\"}}")));

    assertThat(published.sessions())
        .singleElement()
        .satisfies(s -> assertThat(s.created()).isTrue());
    String id = published.sessions().get(0).sessionId();
    assertThat(sessions.session(id).state().origin()).isEqualTo(Origin.event("signups", "msg-1"));
  }
}
