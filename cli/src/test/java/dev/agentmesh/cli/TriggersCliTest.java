package dev.agentmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TriggersCliTest {

  @TempDir Path root;
  Path agents;
  Path triggers;

  @BeforeEach
  void specs() throws IOException {
    agents = Files.createDirectories(root.resolve("agents"));
    triggers = Files.createDirectories(root.resolve("triggers"));
    write(agents.resolve("triage.yaml"), "name: triage", "instructions: Sort it", "model: fast");
    write(agents.resolve("digest.yaml"), "name: digest", "instructions: Sum up", "model: smart");
  }

  @Test
  void validTriggerFilesAreCountedWithTheAgents() throws IOException {
    write(
        triggers.resolve("schedules.yaml"),
        "triggers:",
        "  - {id: daily, kind: cron, schedule: '0 9 * * MON-FRI', zone: Europe/Berlin, agent: triage}",
        "  - {id: weekly, kind: interval, every: 7d, agent: digest, paused: true}");

    CliRun run = CliRun.of("validate", agents.toString(), "--triggers", triggers.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEqualTo("2 agents, 2 triggers OK\n");
  }

  @Test
  void aCronThatDoesNotParseAnUnknownAgentAndAnInlineSecretAreProblemsAtTheirFields()
      throws IOException {
    Path file =
        write(
            triggers.resolve("t.yaml"),
            "triggers:",
            "  - id: daily",
            "    kind: cron",
            "    schedule: '0 9 * * MON-FRY'",
            "    agent: triage",
            "  - id: weekly",
            "    kind: cron",
            "    schedule: '0 9 * * MON'",
            "    agent: digset",
            "  - id: hook",
            "    kind: webhook",
            "    agent: triage",
            "    verification: {scheme: slack, secret: 8f742231b10e8888abcd99yyyzzz85a5}");

    CliRun run = CliRun.of("validate", agents.toString(), "--triggers=" + triggers);

    assertThat(run.exit()).isEqualTo(Main.PROBLEMS);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines())
        .containsExactly(
            file
                + ":4:28: field 'schedule': cron \"0 9 * * MON-FRY\" (unix): day-of-week (field 5,"
                + " column 13): expected a value from 0 to 7 or SUN-SAT but found 'FRY'. Fix: write"
                + " a number, a range such as 1-5, a list such as 1,15 or '*'",
            file
                + ":9:12: unknown agent 'digset' (trigger 'weekly') (did you mean 'digest'?)."
                + " Agents beside it: [digest, triage]",
            file
                + ":13:43: field 'verification.secret' expected a reference to a secret, such as"
                + " env:ZENDESK_SECRET, but found text that is not one (not repeated here, in case"
                + " it is the secret itself); keep secrets out of trigger files and name where to"
                + " find them",
            "3 problems in 1 file");
    assertThat(run.err()).doesNotContain("8f742231");
  }

  @Test
  void triggerFileProblemsAreReportedEvenWhileTheSpecsHaveProblemsOfTheirOwn() throws IOException {
    Path spec = write(agents.resolve("broken.yaml"), "name: broken", "instructons: x");
    Path file = write(triggers.resolve("t.yaml"), "triggers:", "  - {id: a, kind: cronn}");

    CliRun run = CliRun.of("validate", agents.toString(), "--triggers", triggers.toString());

    assertThat(run.exit()).isEqualTo(Main.PROBLEMS);
    assertThat(run.errLines())
        .contains(
            file
                + ":2:19: field 'kind' expected one of [cron, interval, once, webhook, event, human,"
                + " agent] but"
                + " found a string ('cronn') (did you mean 'cron'?)",
            "4 problems in 2 files");
    assertThat(run.err()).contains(spec.toString());
  }

  @Test
  void triggersAreDrawnAsFlagsThatStartTheirAgents() throws IOException {
    write(
        triggers.resolve("t.yaml"),
        "triggers:",
        "  - {id: weekly, kind: interval, every: 6h, agent: digest, paused: true}",
        "  - {id: daily, kind: cron, schedule: '0 9 * * MON-FRI', zone: Europe/Berlin, agent: triage}",
        "  - id: zendesk",
        "    kind: webhook",
        "    agent: triage",
        "    verification: {scheme: standard-webhooks, secret: 'env:ZENDESK_SECRET'}",
        "  - {id: signups, kind: event, source: signups, agent: triage}",
        "  - {id: launch, kind: once, at: '2026-12-24T18:00:00Z', agent: digest}");

    CliRun run = CliRun.of("graph", agents.toString(), "--triggers", triggers.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
            flowchart LR
              a0["digest<br/>model: smart"]
              a1["triage<br/>model: fast"]
              g0>"daily<br/>cron: 0 9 * * MON-FRI, Europe/Berlin"]
              g1>"launch<br/>once: 2026-12-24T18:00:00Z"]
              g2>"signups<br/>event: signups"]
              g3>"weekly<br/>every 6h (paused)"]
              g4>"zendesk<br/>webhook: standard-webhooks"]
              g0 ==>|starts| a1
              g1 ==>|starts| a0
              g2 ==>|starts| a1
              g3 ==>|starts| a0
              g4 ==>|starts| a1
            """);
  }

  @Test
  void humanTriggersAreFlagsAndAgentTriggersAreEdgesFromEachParentToTheChild() throws IOException {
    write(
        agents.resolve("pilot.yaml"),
        "name: pilot",
        "instructions: Run the stages",
        "model: fast",
        "tools: [start_session]");
    write(
        triggers.resolve("t.yaml"),
        "triggers:",
        "  - {id: pilot-by-hand, kind: human, agent: pilot, description: Ana asks for a change}",
        "  - {id: stages, kind: agent, agent: triage, from: [pilot]}",
        "  - {id: digests, kind: agent, agent: digest, from: [triage, pilot]}");
    write(
        agents.resolve("triage.yaml"),
        "name: triage",
        "instructions: Sort it",
        "model: fast",
        "tools: [start_session]");

    CliRun run = CliRun.of("graph", agents.toString(), "--triggers", triggers.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
            flowchart LR
              a0["digest<br/>model: smart"]
              a1["pilot<br/>model: fast"]
              a2["triage<br/>model: fast"]
              t0{{"start_session"}}
              g0>"pilot-by-hand<br/>human"]
              a1 -.->|uses| t0
              a2 -.->|uses| t0
              g0 ==>|starts| a1
              a2 ==>|starts| a0
              a1 ==>|starts| a0
              a1 ==>|starts| a2
            """);
    assertThat(CliRun.of("validate", agents.toString(), "--triggers", triggers.toString()).out())
        .isEqualTo("3 agents, 3 triggers OK\n");
  }

  @Test
  void anAgentTriggerFromAnAgentWithoutStartSessionOrFromAnUnknownAgentIsAProblem()
      throws IOException {
    Path file =
        write(
            triggers.resolve("t.yaml"),
            "triggers:",
            "  - id: stages",
            "    kind: agent",
            "    agent: digest",
            "    from: [triage, triag, pilot]");

    CliRun run = CliRun.of("validate", agents.toString(), "--triggers", triggers.toString());

    assertThat(run.exit()).isEqualTo(Main.PROBLEMS);
    assertThat(run.errLines())
        .containsExactly(
            file
                + ":5:12: agent 'triage' cannot start 'digest' (trigger 'stages'): it has no"
                + " start_session tool; add it to its spec ("
                + agents.resolve("triage.yaml")
                + "): tools: [start_session]",
            file
                + ":5:20: unknown agent 'triag' (trigger 'stages') (did you mean 'triage'?)."
                + " Agents beside it: [digest, triage]",
            file
                + ":5:27: unknown agent 'pilot' (trigger 'stages'). Agents beside it: [digest,"
                + " triage]",
            "3 problems in 1 file");
  }

  @Test
  void triggersWithoutAPathAfterTheOptionIsAUsageError() {
    CliRun run = CliRun.of("validate", agents.toString(), "--triggers");

    assertThat(run.exit()).isEqualTo(Main.USAGE);
    assertThat(run.errLines().get(0))
        .isEqualTo("agentmesh: --triggers needs a trigger file or directory after it");
  }

  private static Path write(Path file, String... lines) throws IOException {
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }
}
