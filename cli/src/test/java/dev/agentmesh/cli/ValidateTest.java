package dev.agentmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateTest {

  @TempDir Path dir;

  @Test
  void aValidDirectoryExitsZeroAndSaysHowManyAgentsAreOk() throws IOException {
    write(
        "triage.yaml",
        "name: triage",
        "instructions: Sort {{input.text}}",
        "model: fast",
        "agents: [escalate]",
        "input:",
        "  type: object",
        "  properties:",
        "    text: {type: string}");
    write(
        "nested/escalate.json",
        "{\"name\": \"escalate\", \"instructions\": \"Escalate\", \"model\": \"smart\"}");

    CliRun run = CliRun.of("validate", dir.toString());

    assertThat(run.exit()).isZero();
    assertThat(run.outLines()).containsExactly("2 agents OK");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void singleFilesCanBeValidatedAndOneAgentIsSingular() throws IOException {
    Path file = write("triage.yml", "name: triage", "instructions: Sort it");

    CliRun run = CliRun.of("validate", file.toString());

    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEqualTo("1 agent OK" + System.lineSeparator());
  }

  @Test
  void everyProblemOfSeveralBrokenFilesIsPrintedSortedWithASummaryAndExitOne() throws IOException {
    Path a = write("a.yaml", "name: a", "modle: fast", "instructions: hi");
    Path b = write("b.yaml", "name: b", "instructions: [1, 2]", "limits:", "  maxTurns: 0");
    Path c = write("c.yml");
    write("ok.yaml", "name: ok", "instructions: fine");
    Path missing = dir.resolve("missing");

    CliRun run = CliRun.of("validate", missing.toString(), dir.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines())
        .containsExactly(
            a
                + ":2:1: unknown field 'modle' (did you mean 'model'?); expected one of [name, version, description, "
                + "instructions, model, function, reasoning, temperature, maxOutputTokens, tools, agents, input, "
                + "output, guardrails, limits, sandbox, review, labels]",
            b + ":2:15: field 'instructions' expected a string but found a list",
            b + ":4:13: maxTurns must be between 1 and 1000 but was 0",
            c
                + ": file is empty; expected an agent spec, a mapping with at least 'name' and 'instructions'",
            missing + ": no such file or directory; expected a spec file or a directory of them",
            "5 problems in 4 files");
  }

  @Test
  void specsThatReferToEachOtherWronglyAreProblemsEvenWithoutAMeshEachAtTheFieldThatIsWrong()
      throws IOException {
    Path x = write("x.yaml", "name: x", "instructions: hi {{input.foo}}", "agents: [y, zed]");
    Path y =
        write(
            "y.yaml", "name: y", "instructions: hi", "agents: [x]", "tools: [x]", "model: unbound");

    CliRun run = CliRun.of("validate", dir.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.errLines())
        .containsExactly(
            x
                + ":2:18: instructions use {{input.foo}} but agent 'x' declares no input schema with properties; "
                + "declare 'input' with a property 'foo', or use {{input}}",
            x
                + ":3:10: child agents form a cycle: x -> y -> x; an agent may not (indirectly) call itself",
            x + ":3:13: unknown child agent 'zed' (agent 'x'). Agents in this mesh: [x, y]",
            y + ":4:9: tool 'x' (agent 'y') has the name of an agent; rename one of them",
            "4 problems in 2 files");
  }

  @Test
  void aBrokenFileDoesNotHideTheReferenceProblemsOfTheOthers() throws IOException {
    Path broken = write("broken.yaml", "name: child", "instructions: \"unclosed");
    Path parent =
        write("parent.yaml", "name: parent", "instructions: hi", "agents: [child, ghost]");

    CliRun run = CliRun.of("validate", dir.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.errLines())
        .containsExactly(
            broken
                + ":3:1: not valid YAML: found unexpected end of stream while scanning a quoted scalar that starts "
                + "at line 2, column 15; close the quote opened there",
            parent
                + ":3:17: unknown child agent 'ghost' (agent 'parent'). Agents in this mesh: [parent]",
            "2 problems in 2 files");
  }

  @Test
  void twoFilesDeclaringTheSameAgentNameAreAProblemAtTheSecondName() throws IOException {
    Path first = write("first.yaml", "name: triage", "instructions: one");
    Path second = write("second.yaml", "name: triage", "instructions: two");

    CliRun run = CliRun.of("validate", dir.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.errLines())
        .containsExactly(
            second
                + ":1:7: agent name 'triage' is already used by "
                + first
                + ":1:7; names must be unique",
            "1 problem in 1 file");
  }

  @Test
  void aSchemaTypeTypoAndABrokenPlaceholderAreProblemsNotRunTimeFailures() throws IOException {
    Path file =
        write(
            "t.yaml",
            "name: t",
            "instructions: |",
            "  Sort the ticket",
            "  from {{input.customer",
            "input:",
            "  type: objct",
            "  properties:",
            "    customer: {type: strin}");

    CliRun run = CliRun.of("validate", file.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.errLines())
        .containsExactly(
            file + ":4:8: placeholder '{{input.customer' is not closed; close it with '}}'",
            file
                + ":6:9: 'input.type' expected one of [string, number, integer, boolean, object, array, null] but found "
                + "'objct' (did you mean 'object'?)",
            file
                + ":8:22: 'input.properties.customer.type' expected one of [string, number, integer, boolean, object, "
                + "array, null] but found 'strin' (did you mean 'string'?)",
            "3 problems in 1 file");
  }

  @Test
  void aDirectoryWithoutSpecsIsAProblemNotASilentSuccess() throws IOException {
    write("notes.txt", "not a spec");

    CliRun run = CliRun.of("validate", dir.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.errLines())
        .containsExactly(
            dir
                + ": no agent specs found; expected .yaml, .yml or .json files (directories are searched recursively)",
            "1 problem in 1 file");
  }

  @Test
  void anArgumentAfterDoubleDashIsAPathEvenIfItStartsWithADash() {
    CliRun run = CliRun.of("validate", "--", "-agents");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.errLines())
        .containsExactly(
            "-agents: no such file or directory; expected a spec file or a directory of them",
            "1 problem in 1 file");
  }

  private Path write(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, lines.length == 0 ? "" : String.join("\n", lines) + "\n");
    return file;
  }
}
