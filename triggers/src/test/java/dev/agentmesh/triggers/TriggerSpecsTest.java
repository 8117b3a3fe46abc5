package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.SpecProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TriggerSpecsTest {

  @TempDir Path dir;

  private static final Path EXAMPLE = Path.of("src/test/resources/triggers/example.yaml");

  @Test
  void theExampleFileLoadsEqualToTheSameTriggersBuiltInJava() {
    List<TriggerSpec> loaded = TriggerSpecs.load(EXAMPLE);

    assertThat(loaded).containsExactlyElementsOf(reference());
    assertThat(loaded.get(0).file()).isEqualTo(EXAMPLE.toString());
    assertThat(loaded.get(0).where("agent")).isEqualTo(EXAMPLE + ":6:12");
    assertThat(loaded.get(0).schedule().nextAfter(Instant.parse("2026-11-27T12:00:00Z")))
        .isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
  }

  @Test
  void aSecretTheResolverDoesNotHaveIsNamedByItsReferenceWhenBound() {
    Verification v = TriggerSpecs.load(EXAMPLE).get(4).verification();
    SecretResolver onlyNew =
        SecretResolver.from(Map.of("ZENDESK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));

    assertThatThrownBy(() -> v.verifier(onlyNew, java.time.Clock.systemUTC()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "No secret found for env:ZENDESK_SECRET_OLD: set the environment variable"
                + " ZENDESK_SECRET_OLD");
    assertThatThrownBy(
            () ->
                Verification.of(WebhookScheme.SLACK, SecretRef.parse("vault:hooks/slack"))
                    .verifier(onlyNew, java.time.Clock.systemUTC()))
        .hasMessage(
            "No secret found for vault:hooks/slack: give the trigger binder a SecretResolver that"
                + " reads 'vault:' references");
  }

  @Test
  void theDocsPageShowsTheExampleFileUnchanged() throws IOException {
    assertThat(Files.readString(Path.of("../docs/triggers.md")))
        .contains("```yaml\n" + Files.readString(EXAMPLE) + "```\n");
  }

  @Test
  void aTriggerFileWhose1025thCharStartsAnEmojiLoads() {
    // The YAML parser reads 1025 chars at a time; snakeyaml-engine 3.0.1 failed with an
    // IndexOutOfBoundsException when a chunk ended inside an emoji's surrogate pair.
    String head =
        "triggers:\n  - id: daily\n    kind: cron\n    schedule: \"0 9 * * *\"\n"
            + "    agent: triage\n    input: {note: ";
    String note = "x".repeat(1024 - head.length()) + "\uD83D\uDE80";
    String yaml = head + note + "}\n";
    assertThat(yaml.indexOf("\uD83D")).isEqualTo(1024);

    List<TriggerSpec> loaded = TriggerSpecs.parse(yaml, "t.yaml");

    assertThat(loaded)
        .singleElement()
        .satisfies(t -> assertThat(t.input().get("note").asString()).isEqualTo(note));
  }

  static List<TriggerSpec> reference() {
    return List.of(
        TriggerSpec.cron("daily-priorities", "0 9 * * MON-FRI")
            .zone(ZoneId.of("Europe/Berlin"))
            .agent("triage")
            .input(Map.of("tickets", "today"))
            .overlap(OverlapPolicy.QUEUE_ONE)
            .catchUp(CatchUpPolicy.allWithin(Duration.ofHours(2)))
            .jitter(Jitter.upTo(Duration.ofSeconds(30)))
            .build(),
        TriggerSpec.cron("month-end", "0 0 17 ? * 6L")
            .dialect(CronDialect.QUARTZ)
            .zone(ZoneId.of("America/New_York"))
            .dstGap(DstGapPolicy.SKIP)
            .agent("digest")
            .catchUp(CatchUpPolicy.latest())
            .build(),
        TriggerSpec.interval("hourly-sync", Duration.ofHours(1))
            .anchor(Instant.parse("2026-01-01T00:00:30Z"))
            .agent("digest")
            .paused(true)
            .build(),
        TriggerSpec.once("launch", Instant.parse("2026-12-24T18:00:00Z"))
            .agent("digest")
            .input("Launch day")
            .build(),
        TriggerSpec.webhook(
                "zendesk",
                new Verification(
                    WebhookScheme.STANDARD_WEBHOOKS,
                    List.of(
                        SecretRef.parse("env:ZENDESK_SECRET"),
                        SecretRef.parse("env:ZENDESK_SECRET_OLD")),
                    Duration.ofMinutes(2)))
            .agent("triage")
            .path("/hooks/zendesk")
            .inputField("customer", "/requester/email")
            .inputField("subject", "/ticket/subject")
            .build(),
        TriggerSpec.event("signups", "signups").agent("triage").build());
  }

  @Test
  void misspeltKeysKindsDialectsZonesAndPolicyValuesAreLocatedWithASuggestion() {
    List<SpecProblem> problems =
        problems(
            "triggers:",
            "  - id: a",
            "    kind: crn",
            "    agent: triage",
            "  - id: b",
            "    kind: cron",
            "    schedule: '0 9 * * *'",
            "    zone: Europe/Berln",
            "    dialect: quartx",
            "    agnet: triage",
            "    overlap: skp",
            "    catchUp: lates",
            "  - id: c",
            "    kind: webhook",
            "    agent: triage",
            "    verification: {scheme: standard-webhook, secret: env:X}");

    assertThat(problems)
        .extracting(SpecProblem::toString)
        .containsExactly(
            "t.yaml:3:11: field 'kind' expected one of [cron, interval, once, webhook, event, human,"
                + " agent] but"
                + " found a string ('crn') (did you mean 'cron'?)",
            "t.yaml:5:5: missing required field 'agent'",
            "t.yaml:8:11: field 'zone' expected a time zone such as Europe/Berlin or UTC but found"
                + " 'Europe/Berln' (did you mean 'Europe/Berlin'?)",
            "t.yaml:9:14: field 'dialect' expected one of [unix, quartz] but found a string"
                + " ('quartx') (did you mean 'quartz'?)",
            "t.yaml:10:5: unknown field 'agnet' (did you mean 'agent'?); expected one of [id, kind,"
                + " agent, paused, schedule, dialect, zone, dstGap, input, overlap, catchUp,"
                + " jitter]",
            "t.yaml:11:14: field 'overlap' expected one of [skip, queue-one, concurrent] but found"
                + " a string ('skp') (did you mean 'skip'?)",
            "t.yaml:12:14: field 'catchUp' expected none, latest or {within: <duration>} but found"
                + " a string ('lates') (did you mean 'latest'?)",
            "t.yaml:16:28: field 'verification.scheme' expected one of [hmac-sha256,"
                + " standard-webhooks, slack, stripe] but found a string ('standard-webhook') (did"
                + " you mean 'standard-webhooks'?)");
  }

  @Test
  void aBadCronExpressionIsReportedAtTheColumnOfItsField() {
    List<SpecProblem> problems =
        problems(
            "triggers:",
            "  - id: a",
            "    kind: cron",
            "    schedule: \"0 24 * * *\"",
            "    agent: triage",
            "  - id: b",
            "    kind: cron",
            "    schedule: 0 0 9 * * ?",
            "    agent: triage");

    assertThat(problems)
        .extracting(SpecProblem::toString)
        .containsExactly(
            "t.yaml:4:18: field 'schedule': cron \"0 24 * * *\" (unix): hour (field 2, column 3):"
                + " expected a value from 0 to 23 but found 24. Fix: use 0-23",
            "t.yaml:8:15: field 'schedule': cron \"0 0 9 * * ?\" (unix): expected 5 fields (minute"
                + " hour day-of-month month day-of-week) but found 6. Fix: six or seven fields are"
                + " Quartz syntax (seconds first): use CronDialect.QUARTZ");
  }

  @Test
  void anInlineSecretIsRefusedAndNeverRepeated() {
    String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    List<SpecProblem> problems =
        problems(
            "triggers:",
            "  - id: hook",
            "    kind: webhook",
            "    agent: triage",
            "    verification:",
            "      scheme: standard-webhooks",
            "      secret: " + secret,
            "  - id: hook-two",
            "    kind: webhook",
            "    agent: triage",
            "    verification:",
            "      scheme: slack",
            "      secrets: [env:OK, 'env:" + secret.substring(0, 5) + "-x']");

    assertThat(problems)
        .extracting(SpecProblem::toString)
        .containsExactly(
            "t.yaml:7:15: field 'verification.secret' expected a reference to a secret, such as"
                + " env:ZENDESK_SECRET, but found text that is not one (not repeated here, in case"
                + " it is the secret itself); keep secrets out of trigger files and name where to"
                + " find them",
            "t.yaml:13:25: field 'verification.secrets' an env: secret reference names an"
                + " environment variable (letters, digits and '_', not starting with a digit), such"
                + " as env:ZENDESK_SECRET, but the one given is not");
    assertThat(problems.toString()).doesNotContain("MfKQ9r8").doesNotContain("whsec");
  }

  @Test
  void fieldsOfAnotherKindAreNamedAsSuch() {
    List<SpecProblem> problems =
        problems(
            "triggers:",
            "  - id: hook",
            "    kind: event",
            "    source: signups",
            "    agent: triage",
            "    zone: UTC",
            "    input: fixed");

    assertThat(problems)
        .extracting(SpecProblem::toString)
        .containsExactly(
            "t.yaml:6:5: field 'zone' does not apply to this kind of trigger; it takes [id, kind,"
                + " agent, paused, source, inputMap]",
            "t.yaml:7:5: field 'input' does not apply to this kind of trigger; it takes [id, kind,"
                + " agent, paused, source, inputMap]");
  }

  @Test
  void duplicateIdsAreRefusedAcrossFiles() throws IOException {
    write(
        "a.yaml", "triggers:", "  - {id: daily, kind: once, at: '2026-01-01T00:00:00Z', agent: x}");
    write(
        "b.yaml",
        "triggers:",
        "  - id: daily",
        "    kind: once",
        "    at: '2026-01-02T00:00:00Z'",
        "    agent: x");

    assertThatThrownBy(() -> TriggerSpecs.loadDirectory(dir))
        .isInstanceOf(TriggerSpecException.class)
        .hasMessage(
            "1 problem in trigger files:\n  "
                + dir.resolve("b.yaml")
                + ":2:9: trigger id 'daily' is already used at "
                + dir.resolve("a.yaml")
                + ":2:10; ids must be unique");
  }

  @Test
  void wholeFileMistakesSayWhatATriggerFileIs() throws IOException {
    write("empty.yaml");
    write("two.yaml", "triggers: []", "---", "triggers: []");
    write("agent.yaml", "name: triage", "instructions: x");
    write("list.yaml", "triggers: {id: a}");

    assertThat(TriggerSpecs.validate(List.of(dir), List.of()))
        .extracting(p -> p.toString().replace(dir + "/", ""))
        .containsExactly(
            "agent.yaml:1:1: missing required field 'triggers' (a list of triggers)",
            "agent.yaml:1:1: unknown field 'name'; expected one of [triggers]",
            "agent.yaml:2:1: unknown field 'instructions'; expected one of [triggers]",
            "empty.yaml: file is empty; expected a trigger file, a mapping with 'triggers', a list"
                + " of triggers",
            "list.yaml:1:11: field 'triggers' expected a list of triggers but found a mapping",
            "two.yaml:3:1: found a second document; put every trigger of the file in its"
                + " 'triggers' list");
  }

  @Test
  void validateChecksThatEachAgentExistsBesideIt() throws IOException {
    write(
        "t.yaml",
        "triggers:",
        "  - id: daily",
        "    kind: cron",
        "    schedule: '0 9 * * *'",
        "    agent: triag");
    List<AgentSpec> agents =
        List.of(
            AgentSpec.builder("triage").instructions("x").build(),
            AgentSpec.builder("digest").instructions("x").build());

    assertThat(TriggerSpecs.validate(List.of(dir), agents))
        .extracting(SpecProblem::toString)
        .containsExactly(
            dir.resolve("t.yaml")
                + ":5:12: unknown agent 'triag' (trigger 'daily') (did you mean 'triage'?). Agents"
                + " beside it: [digest, triage]");
  }

  @Test
  void theBuilderRefusesSettingsOfAnotherKindAndNamesThem() {
    assertThatThrownBy(
            () ->
                TriggerSpec.webhook(
                        "hook", Verification.of(WebhookScheme.SLACK, SecretRef.parse("env:S")))
                    .zone(ZoneId.of("UTC")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'zone' does not apply to a webhook trigger (hook)");
    assertThatThrownBy(() -> TriggerSpec.cron("Daily", "0 9 * * *"))
        .hasMessageContaining("a trigger id is lower-case letters");
    assertThatThrownBy(() -> TriggerSpec.cron("daily", "0 9 * * *").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("trigger 'daily' names no agent; set the agent its sessions are started for");
  }

  private List<SpecProblem> problems(String... lines) {
    try {
      TriggerSpecs.parse(String.join("\n", lines) + "\n", "t.yaml");
    } catch (TriggerSpecException e) {
      return e.problems();
    }
    throw new AssertionError("expected problems");
  }

  private void write(String name, String... lines) throws IOException {
    Files.writeString(dir.resolve(name), lines.length == 0 ? "" : String.join("\n", lines) + "\n");
  }
}
