package dev.agentmesh.examples.triage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.AgentRequest;
import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.examples.triage.TriageMesh.Ticket;
import dev.agentmesh.examples.triage.TriageMesh.Triage;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import dev.agentmesh.testing.AgentTester;
import dev.agentmesh.testing.ScriptedModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TriageExampleTest {

  @Test
  void theTriageSpecRoutesAGoldBillingTicketWithOneToolCall() {
    ScriptedModel model =
        ScriptedModel.builder()
            .toolCall("lookupTier", "{\"customer\":\"acme\"}")
            .text(
                "{\"priority\":\"high\",\"team\":\"billing\",\"reasoning\":\"Gold customer, billing issue.\"}")
            .build();

    AgentTester.Run run =
        AgentTester.of(TriageMesh.spec("agents/triage.yaml"))
            .model(model)
            .tools(CustomerTiers.fromClasspath("/customers.csv"))
            .call(
                AgentRequest.builder(new Ticket("acme", "Invoice charged twice"))
                    .context("company", "Example Co")
                    .build());

    assertThat(run.output(Triage.class).team()).isEqualTo("billing");
    assertThat(run.toolCalls()).extracting(ToolCall::name).containsExactly("lookupTier");
    assertThat(run.events(AgentEvent.ToolReturned.class).get(0).result().path("tier").asString())
        .isEqualTo("gold");
    assertThat(model.requests().get(0).messages().get(0).text())
        .startsWith(
            "You triage support tickets for Example Co.\nThe ticket comes from customer acme with the subject \"Invoice charged twice\".");
  }

  @Test
  void theAppTriagesTicketsOfflineAndSaysWhichModelItUses() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    try (Mesh mesh = TriageMesh.create(TriageMesh.modelFrom(Map.of(), out))) {
      TriageApp.triageTickets(mesh, out);
    }

    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .startsWith(
            "Model: the offline stand-in (set OPENAI_BASE_URL and/or OPENAI_API_KEY to use a real model)\n")
        .contains("acme     \"Invoice charged twice this month\"       -> high   billing")
        .contains("initech  \"Dashboard shows an error after login\"   -> normal engineering")
        .contains("globex   \"How do I add a colleague?\"              -> low    support");
  }

  @Test
  void theSessionKeepsTwoParticipantsAndASecondAgentsAnswerInASqliteFileThatSurvivesARestart(
      @TempDir Path dir) {
    Path db = dir.resolve("demo.db");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    SessionState state;
    try (Mesh mesh = TriageMesh.create(TriageMesh.modelFrom(Map.of(), quiet))) {
      state = TriageApp.runSession(mesh, db, quiet);
    }

    assertThat(state.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(state.participants()).containsOnlyKeys("ana", "bo");
    assertThat(state.transcript())
        .filteredOn(m -> m.role() == ChatMessage.Role.USER && m.author() != null)
        .extracting(ChatMessage::author)
        .containsExactly("bo", "ana");
    assertThat(state.transcript())
        .filteredOn(m -> m.role() == ChatMessage.Role.ASSISTANT && m.text() != null)
        .extracting(ChatMessage::text)
        .anyMatch(t -> t.startsWith("Treat it as a risk"))
        .last()
        .asString()
        .contains("\"priority\":\"high\"");

    ByteArrayOutputStream again = new ByteArrayOutputStream();
    // the first run also left the reviewed reply's session (part 3)
    try (Mesh mesh = TriageMesh.create(TriageMesh.modelFrom(Map.of(), quiet))) {
      TriageApp.runSession(mesh, db, new PrintStream(again, true, StandardCharsets.UTF_8));
    }
    assertThat(again.toString(StandardCharsets.UTF_8))
        .contains(
            "Session store: "
                + db.toAbsolutePath()
                + "\n  resuming it: 2 sessions from earlier runs stay (delete the file to start clean)\n");
  }

  @Test
  void theReplyToTheCustomerWaitsForTheLeadsApprovalIsShownAsTextAndIsSentOnce(@TempDir Path dir) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    try (Mesh mesh = TriageMesh.create(TriageMesh.modelFrom(Map.of(), out))) {
      TriageApp.runSession(mesh, dir.resolve("reviewed.db"), out);
    }

    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .containsPattern("Reply .+/r1: WAITING for review by lead \\(sha256:[0-9a-f]{64}\\)")
        .contains("billing@acme.example")
        .contains("Re: Invoice charged twice this month")
        .contains("approved by lead: review APPROVED, effect APPLIED, session COMPLETED");
    assertThat(printed.split("  sent to ", -1)).as("sent once").hasSize(2);
  }

  @Test
  void aFirstRunSaysItsStoreIsANewFileAndCreatesItsDirectory(@TempDir Path dir) {
    Path db = dir.resolve("not-yet/demo.db");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    try (Mesh mesh =
        TriageMesh.create(
            TriageMesh.modelFrom(
                Map.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))) {
      TriageApp.runSession(mesh, db, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains(
            "Session store: "
                + db.toAbsolutePath()
                + "\n  a new file (set -Dagentmesh.demo.db or AGENTMESH_DEMO_DB to keep it elsewhere)\n");
    assertThat(db).isNotEmptyFile();
  }

  @Test
  void theDemoStoreIsThePropertyElseTheEnvironmentElseUnderTheTemporaryDirectory() {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("java.io.tmpdir", "/tmp/t");

    assertThat(TriageApp.demoDb(props, Map.of()))
        .isEqualTo(Path.of("/tmp/t/agentmesh-demo/agentmesh-demo.db"));
    assertThat(TriageApp.demoDb(props, Map.of("AGENTMESH_DEMO_DB", "/data/env.db")))
        .isEqualTo(Path.of("/data/env.db"));
    props.setProperty("agentmesh.demo.db", "/data/prop.db");
    assertThat(TriageApp.demoDb(props, Map.of("AGENTMESH_DEMO_DB", "/data/env.db")))
        .isEqualTo(Path.of("/data/prop.db"));
  }

  @Test
  void aConfiguredEndpointSelectsTheOpenAiAdapterWithoutCallingIt() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    TriageMesh.modelFrom(
        Map.of("OPENAI_BASE_URL", "http://localhost:11434/v1", "OPENAI_MODEL", "qwen3:8b"),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .startsWith("Model: ")
        .contains("qwen3:8b")
        .endsWith("at http://localhost:11434/v1\n");
  }

  @Test
  void theShippedSpecIsValid() {
    assertThat(AgentSpecs.toYaml(TriageMesh.spec("agents/triage.yaml"))).contains("name: triage");
  }
}
