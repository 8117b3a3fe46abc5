package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.SpecProblem;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testsupport.DocsExamples;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Java code shown in docs/triggers.md, compiled and run. Each {@code ```java} block of the page
 * is copied verbatim between a {@code // docs:begin <name>} and a {@code // docs:end} line below,
 * and {@link #everyJavaBlockOnThePageIsARegionOfThisTest} fails when the two drift.
 */
class DocsExamplesTest {

  private static final Path PAGE = Path.of("../docs/triggers.md");
  private static final Path SOURCE =
      Path.of("src/test/java/dev/agentmesh/triggers/DocsExamplesTest.java");

  @Test
  void schedules() {
    // docs:begin schedules
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Schedule weekdays = Schedule.cron("0 9 * * MON-FRI", berlin); // unix: 5 fields
    Schedule lastFriday =
        Schedule.quartz("0 0 17 ? * 6L", berlin); // quartz: seconds first, 6 = Friday
    Schedule every15 =
        Schedule.every(Duration.ofMinutes(15), Instant.parse("2026-01-01T00:00:00Z"));
    Schedule launch = Schedule.once(Instant.parse("2026-12-24T18:00:00Z"));
    Schedule nightly =
        CronSchedule.builder("30 2 * * *")
            .zone(berlin)
            .dstGap(DstGapPolicy.SKIP) // default: FIRE_AFTER_GAP
            .build();

    Instant next =
        weekdays.nextAfter(Instant.parse("2026-11-27T12:00:00Z")); // a Friday, after 09:00
    // next == 2026-11-30T08:00:00Z: Monday 09:00 in Berlin
    // docs:end
    assertThat(next).isEqualTo("2026-11-30T08:00:00Z");
    assertThat(lastFriday.nextAfter(Instant.parse("2026-11-01T00:00:00Z")))
        .isEqualTo("2026-11-27T16:00:00Z");
    assertThat(every15.nextAfter(Instant.parse("2026-01-01T00:00:00Z")))
        .isEqualTo("2026-01-01T00:15:00Z");
    assertThat(launch.nextAfter(Instant.parse("2026-12-25T00:00:00Z"))).isNull();
    assertThat(nightly.nextAfter(Instant.parse("2026-03-28T12:00:00Z")))
        .isEqualTo("2026-03-30T00:30:00Z");
  }

  @Test
  void catchUpAndJitter() {
    Schedule schedule = Schedule.cron("0 * * * *", ZoneOffset.UTC);
    Instant lastHandled = Instant.parse("2026-11-29T08:00:00Z");
    Clock clock = Clock.fixed(Instant.parse("2026-11-29T12:20:00Z"), ZoneOffset.UTC);
    List<Instant> started = new ArrayList<>();
    // docs:begin catchup
    CatchUpPolicy policy = CatchUpPolicy.allWithin(Duration.ofHours(2));
    DueOccurrences due = policy.due(schedule, lastHandled, clock.instant());
    for (Instant scheduled : due.fire()) { // 11:00 and 12:00; 09:00, 10:00 dropped
      started.add(Jitter.upTo(Duration.ofSeconds(30)).apply("hourly-digest", scheduled));
    }
    if (due.watermark() != null) {
      lastHandled = due.watermark(); // 12:00: never looked at again
    }
    // docs:end
    assertThat(started).hasSize(2);
    assertThat(started.get(0))
        .isBetween(Instant.parse("2026-11-29T11:00:00Z"), Instant.parse("2026-11-29T11:00:30Z"));
    assertThat(lastHandled).isEqualTo("2026-11-29T12:00:00Z");
  }

  @Test
  void theRuntime() {
    FakeClock clock = FakeClock.at(Instant.parse("2026-03-02T07:59:00Z")); // a Monday
    Instant anchor = Instant.parse("2026-03-02T07:00:00Z");
    Mesh mesh = Node.MESH;
    SessionStore store = InMemorySessionStore.create();
    try (Sessions sessions = Sessions.builder(mesh).store(store).clock(clock).build()) {
      // docs:begin runtime
      Triggers triggers =
          Triggers.builder(sessions) // claims live in the sessions' store
              .add(
                  TriggerDefinition.cron("daily-digest", "0 9 * * MON-FRI")
                      .zone(ZoneId.of("Europe/Berlin"))
                      .agent("digest")
                      .input(o -> Map.of("day", o.scheduledAt().toString()))
                      .overlap(OverlapPolicy.SKIP) // the default
                      .catchUp(CatchUpPolicy.allWithin(Duration.ofHours(2)))
                      .build())
              .add(
                  TriggerDefinition.interval("sync", Duration.ofMinutes(15), anchor)
                      .agent("sync")
                      .overlap(OverlapPolicy.QUEUE_ONE)
                      .jitter(Jitter.upTo(Duration.ofSeconds(30)))
                      .build())
              .clock(clock)
              .build();
      // triggers.start() ticks every second; a test moves its clock and ticks by hand:
      clock.set(Instant.parse("2026-03-02T08:00:40Z"));
      TickReport report = triggers.tick(); // 09:00 in Berlin, and 08:00 UTC for sync
      triggers.pause("sync", "ana"); // on every node: a row in the store
      List<TriggerClaim> fired =
          triggers.claims("daily-digest", anchor, clock.instant(), 100); // who fired what
      // docs:end
      assertThat(report.started()).isEqualTo(2);
      assertThat(fired)
          .singleElement()
          .satisfies(c -> assertThat(c.node()).isEqualTo(sessions.nodeId()));
      assertThat(triggers.isPaused("sync")).isTrue();
      triggers.close();
    }
  }

  @Test
  void webhooks() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);
    byte[] rawBody = "{\"type\":\"invoice.paid\"}".getBytes(StandardCharsets.UTF_8);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    WebhookVerifier.builder(WebhookScheme.STANDARD_WEBHOOKS)
        .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .clock(clock)
        .build()
        .sign("msg_2LQ", rawBody)
        .forEach((k, v) -> headers.put(k, List.of(v)));
    Set<String> seen = new HashSet<>();
    List<String> answers = new ArrayList<>();
    for (int delivery = 0; delivery < 2; delivery++) {
      // docs:begin webhook
      WebhookVerifier verifier =
          WebhookVerifier.builder(WebhookScheme.STANDARD_WEBHOOKS)
              .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") // current
              .secret("whsec_ZXhhbXBsZSBvbGQgc2VjcmV0IGtleQ==") // previous, during a rotation
              .tolerance(Duration.ofMinutes(5))
              .clock(clock)
              .build();
      WebhookVerification result = verifier.verify(WebhookRequest.of(headers, rawBody));
      if (!result.verified()) {
        answers.add("401 " + result.outcome() + ": " + result.reason()); // no secret in the reason
      } else if (!seen.add(result.deliveryKey())) {
        answers.add("200 duplicate");
      } else {
        answers.add("202 accepted");
      }
      // docs:end
    }
    assertThat(answers).containsExactly("202 accepted", "200 duplicate");
  }

  @Test
  void declarativeTriggers() {
    Path triggersDir = Path.of("src/test/resources/triggers");
    List<AgentSpec> agentSpecs =
        List.of(
            AgentSpec.builder("triage").instructions("x").build(),
            AgentSpec.builder("digest").instructions("x").build());
    // docs:begin declarative
    List<TriggerSpec> triggers = TriggerSpecs.loadDirectory(triggersDir); // every .yaml under it
    List<SpecProblem> problems =
        TriggerSpecs.validate(List.of(triggersDir), agentSpecs); // what agentmesh validate does
    TriggerSpec daily = triggers.get(0);
    Instant next = daily.schedule().nextAfter(Instant.parse("2026-11-27T12:00:00Z"));
    // next == 2026-11-30T08:00:00Z; daily.where("agent") == ".../example.yaml:6:12"

    TriggerSpec same =
        TriggerSpec.cron("daily-priorities", "0 9 * * MON-FRI")
            .zone(ZoneId.of("Europe/Berlin"))
            .agent("triage")
            .input(Map.of("tickets", "today"))
            .overlap(OverlapPolicy.QUEUE_ONE)
            .catchUp(CatchUpPolicy.allWithin(Duration.ofHours(2)))
            .jitter(Jitter.upTo(Duration.ofSeconds(30)))
            .build(); // equal to the loaded one
    SecretResolver secrets = // SecretResolver.environment() in a host
        SecretResolver.from(
            Map.of(
                "ZENDESK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "ZENDESK_SECRET_OLD", "whsec_ZXhhbXBsZSBvbGQgc2VjcmV0IGtleQ=="));
    WebhookVerifier zendesk = triggers.get(4).verification().verifier(secrets, Clock.systemUTC());
    // docs:end
    assertThat(problems).isEmpty();
    assertThat(next).isEqualTo("2026-11-30T08:00:00Z");
    assertThat(same).isEqualTo(daily);
    assertThat(zendesk).isNotNull();
  }

  @Test
  void humanTrigger() {
    Mesh mesh = Meshes.echo();
    Map<String, String> tokens = Map.of("t-ana", "ana");
    String bearerToken = "t-ana";
    try (Sessions sessions = Sessions.builder(mesh).build()) {
      // docs:begin human
      HumanTrigger humans =
          HumanTrigger.builder(sessions)
              .authenticator(
                  credential -> {
                    String person = tokens.get(credential); // the host's token check
                    if (person == null) throw new StartRefusedException("unknown token");
                    return person;
                  })
              .build();
      Session session = humans.start(bearerToken, "triage").input("My invoice is wrong").start();
      // session.state().origin() == Origin.human("ana"); ana is its OWNER
      // docs:end
      assertThat(session.state().origin()).isEqualTo(Origin.human("ana"));
    }
  }

  @Test
  void agentTrigger() {
    // docs:begin agent
    AgentTriggers children = AgentTriggers.create();
    Mesh mesh =
        Mesh.builder()
            .agents(Meshes.plannerAndWriter()) // planner declares tools: [start_session]
            .tool(AgentTriggers.tool())
            .model("default", Meshes.plannerModel())
            .build();
    Sessions sessions =
        Sessions.builder(mesh).extension(children).build(); // installs its gate, binds it

    SessionState done =
        sessions
            .newSession("planner")
            .input("the launch")
            .start()
            .awaitFinished(Duration.ofMinutes(1));
    // the planner's start_session call was answered with the writer session's output
    // docs:end
    try {
      assertThat(done.output().asString()).isEqualTo("planner saw: the draft");
    } finally {
      sessions.close();
      children.close();
    }
  }

  @Test
  void everyJavaBlockOnThePageIsARegionOfThisTest() {
    DocsExamples.assertBlocksMatchRegions(PAGE, "java", SOURCE);
  }
}
