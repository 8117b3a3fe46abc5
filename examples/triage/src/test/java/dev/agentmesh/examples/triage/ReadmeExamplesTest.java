package dev.agentmesh.examples.triage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.Tool;
import dev.agentmesh.core.ToolParam;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.examples.triage.TriageMesh.Ticket;
import dev.agentmesh.examples.triage.TriageMesh.Triage;
import dev.agentmesh.models.OpenAiChatModel;
import dev.agentmesh.testing.AgentTester;
import dev.agentmesh.testing.ScriptedModel;
import dev.agentmesh.testsupport.DocsExamples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java block of the root README.md, compiled and run; the README's YAML spec is the spec they
 * load. Each block stands verbatim between {@code // docs:begin} and {@code // docs:end}.
 */
class ReadmeExamplesTest {

  static final Path README = Path.of("../../README.md");
  static final Path SOURCE =
      Path.of("src/test/java/dev/agentmesh/examples/triage/ReadmeExamplesTest.java");

  @TempDir Path agentsDir;

  // docs:begin tool
  final class Crm {
    @Tool(value = "Looks up a customer's support tier", idempotent = true)
    String lookupTier(@ToolParam("The customer's account id") String customer) {
      return customer.equals("acme") ? "gold" : "basic";
    }
  }

  // docs:end

  @BeforeEach
  void writeTheReadmesSpec() throws IOException {
    Files.writeString(agentsDir.resolve("triage.yaml"), DocsExamples.blocks(README, "yaml").get(0));
  }

  @Test
  void theHostCodeBuildsAMeshFromTheReadmesSpec() {
    String key = "sk-readme-example";
    // docs:begin host
    Mesh mesh =
        Mesh.builder()
            .agents(AgentSpecs.loadDirectory(agentsDir))
            .model("fast", OpenAiChatModel.builder().apiKey(key).model("gpt-4.1-mini").build())
            .tools(new Crm())
            .build(); // checks the whole mesh, reports every problem
    // docs:end
    try (mesh) {
      assertThat(mesh.agent("triage").tools())
          .extracting(d -> d.name())
          .containsExactly("lookupTier");
    }
  }

  @Test
  void theCallReturnsATypedTriage() {
    ScriptedModel scripted =
        ScriptedModel.builder()
            .toolCall("lookupTier", "{\"customer\":\"acme\"}")
            .text("{\"priority\":\"high\",\"team\":\"billing\",\"reasoning\":\"Gold customer.\"}")
            .build();
    try (Mesh mesh =
        Mesh.builder()
            .agents(AgentSpecs.loadDirectory(agentsDir))
            .model("fast", scripted)
            .tools(new Crm())
            .build()) {
      // docs:begin call
      Triage triage =
          mesh.agent("triage").call(new Ticket("acme", "Invoice charged twice"), Triage.class);
      // docs:end
      assertThat(triage.priority()).isEqualTo("high");
    }
  }

  @Test
  void theUnitTestPasses() {
    // docs:begin unit-test
    ScriptedModel model =
        ScriptedModel.builder()
            .toolCall("lookupTier", "{\"customer\":\"acme\"}")
            .text(
                "{\"priority\":\"high\",\"team\":\"billing\",\"reasoning\":\"Gold customer, billing issue.\"}")
            .build();

    AgentTester.Run run =
        AgentTester.load(agentsDir.resolve("triage.yaml"))
            .model(model)
            .tools(new Crm())
            .call(new Ticket("acme", "Invoice charged twice"));

    assertThat(run.output(Triage.class).team()).isEqualTo("billing");
    assertThat(run.toolCalls()).extracting(ToolCall::name).containsExactly("lookupTier");
    // docs:end
  }

  @Test
  void everyJavaBlockOfTheReadmeIsARegionOfThisTest() {
    DocsExamples.assertBlocksMatchRegions(README, "java", SOURCE);
    assertThat(DocsExamples.blocks(README, "java")).hasSize(4);
  }
}
