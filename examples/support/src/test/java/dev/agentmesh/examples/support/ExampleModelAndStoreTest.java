package dev.agentmesh.examples.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.models.AnthropicChatModel;
import dev.agentmesh.models.OpenAiChatModel;
import dev.agentmesh.sessions.SqliteSessionStore;
import dev.agentmesh.testing.ScriptedModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleModelAndStoreTest {

  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  void withNoKeyTheScriptedModelIsUsedAndSaidSo() {
    ChatModel scripted = ScriptedModel.builder().build();
    assertThat(ExampleModel.from(Map.of("OPENAI_API_KEY", " "), out, () -> scripted))
        .isSameAs(scripted);
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "Model: the scripted stand-in (set OPENAI_API_KEY, OPENAI_BASE_URL or"
                + " ANTHROPIC_API_KEY to use a real model)\n");
  }

  @Test
  void anOpenAiBaseUrlWinsOverAnAnthropicKey() {
    ChatModel model =
        ExampleModel.from(
            Map.of(
                "OPENAI_BASE_URL", "http://127.0.0.1:9/v1",
                "OPENAI_MODEL", "local-llama",
                "ANTHROPIC_API_KEY", "k"),
            out,
            () -> {
              throw new AssertionError("the scripted model is not asked for");
            });
    assertThat(model).isInstanceOf(OpenAiChatModel.class);
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo("Model: local-llama at http://127.0.0.1:9/v1\n");
  }

  @Test
  void anAnthropicKeyAloneChoosesAnthropic() {
    ChatModel model = ExampleModel.from(Map.of("ANTHROPIC_API_KEY", "k"), out, () -> null);
    assertThat(model).isInstanceOf(AnthropicChatModel.class);
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo("Model: " + ExampleModel.DEFAULT_ANTHROPIC_MODEL + " at the Anthropic API\n");
  }

  @Test
  void theStoreIsAtThePropertyElseTheEnvironmentElseTheTemporaryDirectory(@TempDir Path dir) {
    Properties props = new Properties();
    props.setProperty("java.io.tmpdir", dir.toString());
    assertThat(ExampleStore.path("crm-update", props, Map.of()))
        .isEqualTo(dir.resolve("agentmesh-examples/crm-update.db"));
    assertThat(ExampleStore.path("crm-update", props, Map.of(ExampleStore.ENV, "/e/x.db")))
        .isEqualTo(Path.of("/e/x.db"));
    props.setProperty(ExampleStore.PROPERTY, dir.resolve("p/x.db").toString());
    assertThat(ExampleStore.path("crm-update", props, Map.of(ExampleStore.ENV, "/e/x.db")))
        .isEqualTo(dir.resolve("p/x.db"));

    try (SqliteSessionStore store = ExampleStore.sqlite("crm-update", props, Map.of())) {
      assertThat(dir.resolve("p/x.db")).exists();
    }
  }
}
