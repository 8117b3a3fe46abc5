package dev.agentmesh.examples.prioritylist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.examples.prioritylist.PriorityList.Escalation;
import dev.agentmesh.examples.prioritylist.PriorityList.Item;
import dev.agentmesh.examples.prioritylist.PriorityList.RepList;
import dev.agentmesh.examples.support.CrmProcess;
import dev.agentmesh.examples.support.CrmServer;
import dev.agentmesh.examples.support.SlackProcess;
import dev.agentmesh.examples.support.SlackReceiver;
import dev.agentmesh.review.notify.Deliveries;
import dev.agentmesh.review.notify.InProcessDeliveryScheduler;
import dev.agentmesh.review.notify.Notification;
import dev.agentmesh.review.notify.SlackNotifier;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.ParticipantRole;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import dev.agentmesh.testing.ManualScheduler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The example's host on the sample CRM, with the scripted model and an in-memory store, in
 * Europe/Berlin: the cron, a person, another agent and the CRM webhook each start {@code
 * daily-priorities}, and all four make the same list.
 */
class FourTriggersTest {

  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  final DemoClock clock =
      DemoClock.at(PriorityListApp.DEMO_START.atZone(BERLIN).toInstant()); // Monday 08:59

  /** One CRM process for the class: the tools only read it. */
  static final CrmProcess crm = CrmProcess.start(System.out);

  final InMemorySessionStore store = InMemorySessionStore.create();
  final Mesh mesh =
      PriorityMesh.mesh(
          new ScriptedPriorityModel(),
          new PriorityTools(crm.client(), PriorityRules.defaults(), clock, BERLIN));
  final PriorityHost host =
      PriorityHost.start(mesh, store, clock, BERLIN, SECRET, Map.of("token-dana", "dana"));

  @AfterAll
  static void stopTheCrm() {
    crm.close();
  }

  @AfterEach
  void close() {
    host.close();
    mesh.close();
  }

  @Test
  void theCronAPersonAnAgentAndTheCrmWebhookMakeTheSameList() {
    PriorityHost.CronRun cron = host.byCron();
    SessionState human = host.byHuman("token-dana");
    PriorityHost.Briefing briefing = host.byAgent("dana");
    PriorityHost.WebhookRun webhook = host.byWebhook("msg_1");

    SessionState daily = cron.session();
    assertThat(List.of(daily, human, briefing.child(), webhook.session()))
        .allSatisfy(s -> assertThat(s.status()).isEqualTo(SessionStatus.COMPLETED))
        .allSatisfy(s -> assertThat(s.agent()).isEqualTo(PriorityMesh.AGENT))
        .extracting(SessionState::output)
        .containsOnly(daily.output());
    assertThat(cron.firedNow()).isTrue();
    assertThat(daily.origin())
        .isEqualTo(Origin.cron(PriorityMesh.CRON, Instant.parse("2026-11-30T08:00:00Z")));
    assertThat(human.origin()).isEqualTo(Origin.human("dana"));
    assertThat(human.participants()).containsEntry("dana", ParticipantRole.OWNER);
    assertThat(briefing.child().startedBy()).isEqualTo(briefing.parent().id());
    assertThat(webhook.status()).isEqualTo(202);
    assertThat(webhook.session().origin().kind()).isEqualTo(Origin.Kind.WEBHOOK);
    assertThat(webhook.session().input().path("reason").asString())
        .isEqualTo("company.propertyChange");
  }

  @Test
  void theListRanksEachRepsAccountsAndEscalatesTheTwoNeglectedUrgentTickets() {
    PriorityList list = host.byCron().session().output(PriorityList.class);

    assertThat(list.date()).isEqualTo("2026-11-30");
    assertThat(list.lists())
        .extracting(RepList::repName)
        .containsExactly("Maya Chen", "Luis Ortega", "Priya Nair");
    RepList priya = list.lists().get(2);
    assertThat(priya.items())
        .extracting(Item::name)
        .containsExactly("Umbrella Health", "Hooli Retail", "Soylent Foods");
    Item top = priya.items().get(0);
    assertThat(top.score()).isEqualTo(118);
    assertThat(top.contributions())
        .extracting(c -> c.rule() + " " + c.points() + " " + c.reason())
        .containsExactly(
            "last-touch 30 last touched 55 days ago (2026-10-06)",
            "tier 25 enterprise tier",
            "revenue 25 $12,500,000 a year",
            "onboarding 25 onboarding stalled",
            "open-tickets 13 1 urgent and 1 other open tickets");
    assertThat(list.lists())
        .flatExtracting(RepList::escalations)
        .extracting(Escalation::ticket, Escalation::daysOpen, Escalation::manager)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("7001", 14, "104"),
            org.assertj.core.groups.Tuple.tuple("7005", 11, "104"));
  }

  @Test
  void theSessionLogShowsTheToolsReadTheCrmOverHttp() {
    SessionState daily = host.byCron().session();

    assertThat(daily.transcript())
        .flatExtracting(ChatMessage::toolCalls)
        .extracting(ToolCall::name)
        .containsExactly("listReps", "rankAccounts", "rankAccounts", "rankAccounts");
    assertThat(crm.requests())
        .extracting(CrmServer.RecordedRequest::line)
        .anySatisfy(l -> assertThat(l).startsWith("GET /crm/v3/owners"))
        .anySatisfy(l -> assertThat(l).startsWith("POST /crm/v3/objects/companies/search"))
        .anySatisfy(l -> assertThat(l).startsWith("POST /crm/v3/objects/calls/search"))
        .anySatisfy(l -> assertThat(l).startsWith("GET /api/v2/tickets"));
  }

  @Test
  void aRepeatedOccurrenceOrWebhookDeliveryStartsNothingNew() {
    SessionState first = host.byCron().session();
    clock.set(PriorityListApp.DEMO_START.atZone(BERLIN).toInstant()); // back to 08:59
    PriorityHost.CronRun again = host.byCron();
    PriorityHost.WebhookRun delivery = host.byWebhook("msg_7");
    PriorityHost.WebhookRun replay = host.byWebhook("msg_7");

    assertThat(again.firedNow()).isFalse();
    assertThat(again.session().id()).isEqualTo(first.id());
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.session().id()).isEqualTo(delivery.session().id());
  }

  @Test
  void theListReachesSlackAsOneMessagePerRepAndOnePerEscalation() {
    SessionState daily = host.byCron().session();
    PriorityList list = daily.output(PriorityList.class);
    ManualScheduler manual = new ManualScheduler();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (SlackProcess slack =
        SlackProcess.start(new PrintStream(printed, true, StandardCharsets.UTF_8))) {
      Deliveries deliveries =
          Deliveries.builder(InProcessDeliveryScheduler.of(manual.clock(), manual))
              .notifier("slack", SlackNotifier.builder(slack.webhookUri()).build())
              .build();

      int sent = PriorityDelivery.to(deliveries).deliver(daily.id(), list);
      manual.runDue();
      slack.sync();

      assertThat(sent).isEqualTo(5);
      assertThat(PriorityDelivery.notifications(daily.id(), list))
          .extracting(Notification::kind)
          .containsOnly(Notification.Kind.OUTPUT_DELIVERED);
      assertThat(slack.messages())
          .extracting(SlackReceiver.Message::text)
          .containsExactly(
              "Today's priorities for Maya Chen (2026-11-30)",
              "Today's priorities for Luis Ortega (2026-11-30)",
              "Today's priorities for Priya Nair (2026-11-30)",
              "Escalation for manager 104: Acme Corp, urgent ticket 7001 open 14 days without a"
                  + " response",
              "Escalation for manager 104: Umbrella Health, urgent ticket 7005 open 11 days"
                  + " without a response");
      assertThat(slack.messages().get(2).rendered())
          .contains("1. Umbrella Health")
          .contains("last-touch +30 (last touched 55 days ago (2026-10-06))");
      assertThat(printed.toString(StandardCharsets.UTF_8))
          .startsWith("Slack message:\n  | *Today's priorities for Maya Chen (2026-11-30)*\n");
    }
  }
}
