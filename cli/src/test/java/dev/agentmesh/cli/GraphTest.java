package dev.agentmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphTest {

  @TempDir Path dir;

  @Test
  void aSmallMeshIsDrawnAsAnExactMermaidFlowchart() throws IOException {
    write(
        "triage.yaml",
        "name: triage",
        "instructions: Sort it",
        "model: fast",
        "tools: [lookup-tier, search]",
        "agents: [escalate, summarize]");
    write(
        "escalate.yaml",
        "name: escalate",
        "instructions: Escalate",
        "model: smart",
        "tools: [send-email, search]");
    write("summarize.yaml", "name: summarize", "instructions: Summarize", "model: fast");

    CliRun run = CliRun.of("graph", dir.toString());

    assertThat(run.exit()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .isEqualTo(
            """
        flowchart LR
          a0["escalate<br/>model: smart"]
          a1["summarize<br/>model: fast"]
          a2["triage<br/>model: fast"]
          t0{{"lookup-tier"}}
          t1{{"search"}}
          t2{{"send-email"}}
          a0 -.->|uses| t2
          a0 -.->|uses| t1
          a2 -->|calls| a0
          a2 -->|calls| a1
          a2 -.->|uses| t0
          a2 -.->|uses| t1
        """);
  }

  @Test
  void theSameSpecsGiveTheSameTextWhateverOrderTheyAreGivenIn() {
    AgentSpec a =
        AgentSpec.builder("a").instructions("x").tools("z-tool", "y-tool").agents("b").build();
    AgentSpec b = AgentSpec.builder("b").instructions("x").build();

    assertThat(MermaidGraph.render(List.of(b, a))).isEqualTo(MermaidGraph.render(List.of(a, b)));
  }

  @Test
  void namesMermaidWouldInterpretAreEscapedInsideQuotedLabels() throws IOException {
    write(
        "a.yaml",
        "name: end",
        "instructions: x",
        "model: 'gpt \"4\" <fast> & #1'",
        "tools: ['say \"hi\"', 'a`b`', \"line\\nbreak\"]");

    CliRun run = CliRun.of("graph", dir.toString());

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
        flowchart LR
          a0["end<br/>model: gpt #34;4#34; #60;fast#62; #38; #35;1"]
          t0{{"a#96;b#96;"}}
          t1{{"line break"}}
          t2{{"say #34;hi#34;"}}
          a0 -.->|uses| t2
          a0 -.->|uses| t0
          a0 -.->|uses| t1
        """);
  }

  @Test
  void invalidSpecsAreReportedInsteadOfDrawn() throws IOException {
    Path a = write("a.yaml", "name: a", "instructions: x", "agents: [ghost]");

    CliRun run = CliRun.of("graph", dir.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines())
        .containsExactly(
            a + ":3:10: unknown child agent 'ghost' (agent 'a'). Agents in this mesh: [a]",
            "1 problem in 1 file");
  }

  private Path write(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }
}
