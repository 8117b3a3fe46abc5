package dev.agentmesh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AgentSpecsTest {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final Path SPECS = Path.of("src/test/resources/specs");

  @TempDir Path dir;

  static AgentSpec triageBuiltInJava() {
    JsonNode input =
        JSON.readTree(
            "{\"type\":\"object\",\"properties\":{\"customer\":{\"type\":\"string\"},"
                + "\"subject\":{\"type\":\"string\",\"maxLength\":200}},\"required\":[\"customer\",\"subject\"]}");
    JsonNode output =
        JSON.readTree(
            "{\"type\":\"object\",\"properties\":{\"priority\":{\"type\":\"string\","
                + "\"enum\":[\"low\",\"normal\",\"high\"]},\"team\":{\"type\":\"string\"}},\"required\":[\"priority\",\"team\"],"
                + "\"additionalProperties\":false}");
    // docs:begin builder
    AgentSpec triage =
        AgentSpec.builder("triage")
            .version("2")
            .description("Sorts incoming support tickets by priority and team")
            .instructions(
                "You triage support tickets for {{context.company}}.\n"
                    + "The ticket is from {{input.customer}}: \"{{input.subject}}\".\n"
                    + "Look up the customer's tier with lookupTier, then decide priority and team.\n")
            .model("fast")
            .reasoning(ReasoningLevel.LOW)
            .temperature(0.2)
            .maxOutputTokens(800)
            .tools("lookupTier")
            .agents("security-review")
            .inputSchema(
                input) // a JsonNode; or .inputType(Ticket.class) to generate it from a record
            .outputSchema(output)
            .guardrails("no-pii")
            .limits(
                Limits.builder()
                    .maxTurns(6)
                    .maxToolCalls(10)
                    .timeout(Duration.ofSeconds(90))
                    .maxCost(new BigDecimal("0.05"))
                    .build())
            .sandbox(
                SandboxPolicy.of(
                    Set.of("lookupTier", "security-review"), Set.of("crm.example.com")))
            .review(
                ReviewPolicy.builder()
                    .required(true)
                    .groups("support-leads")
                    .expiry(Duration.ofHours(24))
                    .onExpiry(ReviewPolicy.OnExpiry.ESCALATE)
                    .escalateTo("support-managers")
                    .risk(ReviewPolicy.Risk.MEDIUM)
                    .build())
            .labels(Map.of("team", "support", "tier", "1"))
            .build();
    // docs:end
    return triage;
  }

  @Test
  void aYamlSpecEqualsTheSameSpecBuiltInJava() {
    AgentSpec loaded = AgentSpecs.load(SPECS.resolve("triage.yaml"));

    assertThat(loaded).isEqualTo(triageBuiltInJava());
    assertThat(loaded.fingerprint())
        .isEqualTo(triageBuiltInJava().fingerprint())
        .startsWith("sha256:")
        .hasSize(23);
    assertThat(loaded.source()).isEqualTo(SPECS.resolve("triage.yaml").toString());
  }

  @Test
  void aJsonSpecEqualsTheYamlOne() {
    assertThat(AgentSpecs.load(SPECS.resolve("triage.json")))
        .isEqualTo(AgentSpecs.load(SPECS.resolve("triage.yaml")));
  }

  @Test
  void aSpecWrittenAsYamlOrJsonReloadsEqual() {
    AgentSpec spec = triageBuiltInJava();

    assertThat(AgentSpecs.parse(AgentSpecs.toYaml(spec), "again.yaml")).isEqualTo(spec);
    assertThat(AgentSpecs.parse(AgentSpecs.toJson(spec), "again.json")).isEqualTo(spec);
  }

  @Test
  void theFingerprintChangesWithContentButNotWithTheSource() {
    AgentSpec spec = triageBuiltInJava();

    assertThat(spec.toBuilder().instructions("Other").build().fingerprint())
        .isNotEqualTo(spec.fingerprint());
    assertThat(AgentSpecs.parse(AgentSpecs.toYaml(spec), "elsewhere.yaml").fingerprint())
        .isEqualTo(spec.fingerprint());
  }

  @Test
  void aMinimalSpecGetsTheDefaults() {
    AgentSpec spec = AgentSpecs.parse("name: echo\ninstructions: Repeat the input.\n", "echo.yaml");

    assertThat(spec.model()).isEqualTo("default");
    assertThat(spec.version()).isEqualTo("1");
    assertThat(spec.reasoning()).isEqualTo(ReasoningLevel.NONE);
    assertThat(spec.limits()).isEqualTo(Limits.DEFAULTS);
    assertThat(spec.sandbox()).isEqualTo(SandboxPolicy.UNRESTRICTED);
    assertThat(spec.review()).isEqualTo(ReviewPolicy.NONE);
    assertThat(spec.inputSchema()).isNull();
  }

  @Test
  void aMisspelledFieldIsReportedWithItsPlaceAndASuggestion() {
    assertThat(problems("name: triage\ninstructions: Go.\nmodle: fast\n", "agents/triage.yaml"))
        .containsExactly(
            "agents/triage.yaml:3:1: unknown field 'modle' (did you mean 'model'?); expected one of "
                + SpecCodec.FIELDS);
  }

  @Test
  void wrongTypesAreReportedWithWhatWasExpectedAndFound() {
    String yaml =
        "name: triage\ninstructions: Go.\ntools: lookupTier\nlimits:\n  maxTurns: ten\n  timeout: soon\n"
            + "reasoning: extreme\n";

    assertThat(problems(yaml, "t.yaml"))
        .containsExactly(
            "t.yaml:3:8: field 'tools' expected a list of names but found a string ('lookupTier')",
            "t.yaml:5:13: field 'limits.maxTurns' expected an integer but found a string ('ten')",
            "t.yaml:6:12: field 'limits.timeout' expected a duration such as 250ms, 30s, 5m, 2h or PT30S but found 'soon'",
            "t.yaml:7:12: field 'reasoning' expected one of [none, low, medium, high] but found 'extreme'");
  }

  @Test
  void valuesOutOfRangeUseTheBuildersMessage() {
    assertThat(problems("name: triage\ninstructions: Go.\nlimits: {maxTurns: 0}\n", "t.yaml"))
        .containsExactly("t.yaml:3:20: maxTurns must be between 1 and 1000 but was 0");
  }

  @Test
  void missingRequiredFieldsAreReported() {
    assertThat(problems("description: nothing else\n", "t.yaml"))
        .containsExactly(
            "t.yaml:1:1: missing required field 'instructions'",
            "t.yaml:1:1: missing required field 'name'");
  }

  @Test
  void anInvalidNameIsReportedWhereItStands() {
    assertThat(problems("name: Triage Bot\ninstructions: Go.\n", "t.yaml"))
        .containsExactly(
            "t.yaml:1:7: name must be lower case letters, digits and '-', starting with a letter, at most 63 "
                + "characters, but was 'Triage Bot'");
  }

  @Test
  void duplicateKeysAreReported() {
    assertThat(problems("name: a\ninstructions: Go.\nname: b\n", "t.yaml"))
        .containsExactly("t.yaml:3:1: duplicate key 'name' (first at line 1); keep one");
  }

  @Test
  void aMisspelledSchemaKeywordIsReported() {
    String yaml = "name: a\ninstructions: Go.\noutput:\n  type: object\n  requried: [x]\n";

    assertThat(problems(yaml, "t.yaml"))
        .singleElement()
        .asString()
        .startsWith(
            "t.yaml:5:3: unknown JSON Schema keyword 'requried' in 'output' (did you mean 'required'?)");
  }

  @Test
  void emptyFilesAndBinaryGarbageAreProblemsNotCrashes() {
    assertThat(problems("", "empty.yaml"))
        .containsExactly(
            "empty.yaml: file is empty; expected an agent spec, a mapping with at least 'name' and 'instructions'");
    assertThat(problems("\u0000\u0001binary", "bin.yaml"))
        .containsExactly(
            "bin.yaml: not a text file (it holds NUL bytes); expected a YAML or JSON agent spec");
    assertThat(problems("- just\n- a list\n", "list.yaml"))
        .containsExactly(
            "list.yaml:1:1: expected an agent spec (a mapping with 'name' and 'instructions') but found a list");
  }

  @Test
  void brokenSyntaxNamesTheFormatAndThePlace() {
    assertThat(problems("{\"name\": \"a\",", "t.json"))
        .containsExactly(
            "t.json:1:14: not valid JSON: unexpected end-of-input within/between Object entries; "
                + "the file ends before every '{' and '[' is closed");
    assertThat(problems("name: [unclosed\n", "t.yaml"))
        .singleElement()
        .asString()
        .startsWith("t.yaml:")
        .contains("not valid YAML");
  }

  @Test
  void aTabInTheIndentationIsReportedOnItsOwnLineWithTheCauseAndAHint() {
    assertThat(problems("name: a\ninstructions: Go.\nlimits:\n\tmaxTurns: 3\n", "t.yaml"))
        .containsExactly(
            "t.yaml:4:1: not valid YAML: found character '\\t' (a tab) that cannot start any token; "
                + "YAML indents with spaces, not tabs: replace the tab with spaces");
  }

  @Test
  void anUnterminatedQuoteSaysWhereTheQuoteOpened() {
    assertThat(problems("name: a\ninstructions: \"Go.\nmodel: fast\n", "t.yaml"))
        .containsExactly(
            "t.yaml:4:1: not valid YAML: found unexpected end of stream while scanning a quoted scalar that starts at "
                + "line 2, column 15; close the quote opened there");
  }

  @Test
  void aColonInsideAPlainValueIsExplained() {
    assertThat(problems("name: a\ninstructions: Go.\n  model: fast\n", "t.yaml"))
        .containsExactly(
            "t.yaml:3:8: not valid YAML: mapping values are not allowed here; a ': ' inside a plain value starts a "
                + "mapping: check the indentation, or quote the value");
  }

  @Test
  void unclosedFlowCollectionsAndBadEscapesGetAHint() {
    assertThat(problems("name: a\ninstructions: hi\ntools: [a, b\nmodel: x\n", "t.yaml"))
        .containsExactly(
            "t.yaml:4:6: not valid YAML: expected ',' or ']', but got : while parsing a flow sequence that starts at line 3, "
                + "column 8; close the '[' opened there, or put a ',' between items");
    assertThat(problems("name: a\ninstructions: \"a \\q\"\n", "t.yaml"))
        .containsExactly(
            "t.yaml:2:19: not valid YAML: found unknown escape character q(113) while scanning a double-quoted scalar that "
                + "starts at line 2, column 15; in double quotes a backslash starts an escape: write \\\\ for a backslash, "
                + "or use single quotes");
    assertThat(problems("{\"name\": \"a\",}", "t.json"))
        .containsExactly(
            "t.json:1:14: not valid JSON: found '}' but was expecting double-quote to start property name; JSON allows no "
                + "comma before a closing '}' or ']'");
  }

  @Test
  void jsonSyntaxErrorsSayWhatWasExpectedAndFoundWhereItStands() {
    assertThat(problems("{\"name\" \"a\"}", "t.json"))
        .containsExactly(
            "t.json:1:9: not valid JSON: found '\"' but was expecting a colon to separate property name and value");
    assertThat(problems("{\"name\": 'a'}", "t.json"))
        .containsExactly(
            "t.json:1:10: not valid JSON: found '''"
                + " but expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false'); "
                + "JSON strings take double quotes");
    assertThat(problems("{\"tools\": [\"a\"}", "t.json"))
        .containsExactly(
            "t.json:1:15: not valid JSON: unexpected close marker '}': expected ']' (to close the list)");
  }

  @Test
  void deepNestingIsCutOffWithAClearMessage() {
    String deep =
        "name: a\ninstructions: Go.\nlabels: " + "[".repeat(5000) + "]".repeat(5000) + "\n";

    assertThat(problems(deep, "deep.yaml"))
        .singleElement()
        .asString()
        .startsWith("deep.yaml:")
        .contains("not valid YAML")
        .contains("nesting depth");
  }

  @Test
  void aYamlAliasBombIsNotExpanded() {
    StringBuilder yaml =
        new StringBuilder(
            "name: a\ninstructions: Go.\nlabels:\n  a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 12; i++) {
      yaml.append("  a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      yaml.append("]\n");
    }

    AgentSpecException e =
        catchThrowableOfType(
            AgentSpecException.class, () -> AgentSpecs.parse(yaml.toString(), "bomb.yaml"));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).hasSizeLessThan(10_000);
  }

  @Test
  void aYamlAliasIsRefusedRatherThanReadAsItsName() {
    assertThat(problems("name: a\ninstructions: &x Go.\ndescription: *x\n", "t.yaml"))
        .containsExactly(
            "t.yaml:3:14: YAML alias '*x' is not supported in agent specs (it would be read as the text 'x'); write the "
                + "value out");
  }

  @Test
  void aSecondDocumentIsRefused() {
    assertThat(problems("name: a\ninstructions: Go.\n---\nname: b\ninstructions: Go.\n", "t.yaml"))
        .containsExactly("t.yaml:4:1: found a second document; put one agent in each file");
  }

  @Test
  void aFileOverOneMebibyteIsRefusedBeforeParsing() throws IOException {
    Path big = dir.resolve("big.yaml");
    Files.writeString(big, "name: a\ninstructions: \"" + "x".repeat(2 * 1024 * 1024) + "\"\n");

    assertThatThrownBy(() -> AgentSpecs.load(big))
        .isInstanceOf(AgentSpecException.class)
        .hasMessage(
            "1 problem in agent specs:\n  "
                + big
                + ": file is 2.0 MiB but an agent spec may be at most 1 MiB; "
                + "split it or move long text out");
  }

  @Test
  void aDirectoryWithFiveBrokenFilesReportsAllFive() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), "name: a\ninstructions: Go.\nmodle: x\n");
    Files.writeString(dir.resolve("b.yaml"), "");
    Files.writeString(dir.resolve("c.json"), "{");
    Files.createDirectories(dir.resolve("nested"));
    Files.writeString(dir.resolve("nested/d.yml"), "name: d\n");
    Files.write(dir.resolve("e.yaml"), new byte[] {0, 1, 2});
    Files.writeString(dir.resolve("ok.yaml"), "name: ok\ninstructions: Go.\n");
    Files.writeString(dir.resolve("notes.txt"), "ignored");

    AgentSpecException e =
        catchThrowableOfType(AgentSpecException.class, () -> AgentSpecs.loadDirectory(dir));

    assertThat(e.problems())
        .extracting(SpecProblem::source)
        .containsExactlyInAnyOrder(
            dir.resolve("a.yaml").toString(),
            dir.resolve("b.yaml").toString(),
            dir.resolve("c.json").toString(),
            dir.resolve("nested/d.yml").toString(),
            dir.resolve("e.yaml").toString());
    assertThat(e.getMessage())
        .startsWith(
            "5 problems in agent specs:\n  "
                + dir.resolve("a.yaml")
                + ":3:1: unknown field 'modle'");
  }

  @Test
  void theSameNameInTwoFilesIsReported() throws IOException {
    Files.writeString(dir.resolve("one.yaml"), "name: twin\ninstructions: Go.\n");
    Files.writeString(dir.resolve("two.yaml"), "name: twin\ninstructions: Go.\n");

    assertThatThrownBy(() -> AgentSpecs.loadDirectory(dir))
        .isInstanceOf(AgentSpecException.class)
        .hasMessage(
            "1 problem in agent specs:\n  "
                + dir.resolve("two.yaml")
                + ":1:7: agent name 'twin' is already used by "
                + dir.resolve("one.yaml")
                + ":1:7; names must be unique");
  }

  @Test
  void aMissingPathIsAProblem() {
    Path missing = dir.resolve("nope");

    assertThatThrownBy(() -> AgentSpecs.loadDirectory(missing))
        .hasMessage(
            "1 problem in agent specs:\n  "
                + missing
                + ": no such file or directory; expected a spec file or a directory of them");
  }

  @Test
  void theSpecFromTheDocsLoadsAndMatchesTheReference() throws IOException {
    String doc = Files.readString(Path.of("../docs/agent-spec.md"), StandardCharsets.UTF_8);
    int start = doc.indexOf("```yaml\n") + "```yaml\n".length();
    String yaml = doc.substring(start, doc.indexOf("```", start));

    assertThat(AgentSpecs.parse(yaml, "docs/agent-spec.md"))
        .isEqualTo(AgentSpecs.load(SPECS.resolve("triage.yaml")));
  }

  @Test
  void theJavaOnTheDocsPageIsTheBuilderThisTestUses() throws IOException {
    String doc = Files.readString(Path.of("../docs/agent-spec.md"), StandardCharsets.UTF_8);
    String source =
        Files.readString(
            Path.of("src/test/java/dev/agentmesh/core/AgentSpecsTest.java"),
            StandardCharsets.UTF_8);
    String region =
        source.substring(
            source.indexOf("// docs:begin builder\n") + 22, source.indexOf("    // docs:end"));
    int start = doc.indexOf("```java\n") + "```java\n".length();

    assertThat(unindent(doc.substring(start, doc.indexOf("```", start))))
        .isEqualTo(unindent(region));
  }

  static String unindent(String code) {
    return String.join("\n", code.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
  }

  static List<String> problems(String text, String source) {
    AgentSpecException e =
        catchThrowableOfType(AgentSpecException.class, () -> AgentSpecs.parse(text, source));
    assertThat(e).as("expected problems in %s", source).isNotNull();
    return e.problems().stream().sorted().map(SpecProblem::toString).toList();
  }
}
