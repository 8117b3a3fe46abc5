package dev.agentmesh.examples.support;

import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.models.AnthropicChatModel;
import dev.agentmesh.models.OpenAiChatModel;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Chooses an example's model from the environment, the way every example's README describes it:
 *
 * <ol>
 *   <li>an OpenAI-compatible server when {@code OPENAI_API_KEY} or {@code OPENAI_BASE_URL} is set
 *       ({@code OPENAI_MODEL} picks the model, default {@value #DEFAULT_OPENAI_MODEL});
 *   <li>else Anthropic when {@code ANTHROPIC_API_KEY} is set ({@code ANTHROPIC_MODEL}, default
 *       {@value #DEFAULT_ANTHROPIC_MODEL}; {@code ANTHROPIC_BASE_URL} for a proxy);
 *   <li>else the example's scripted model, so the example runs offline with no key.
 * </ol>
 *
 * <p>It prints exactly one line starting {@code Model: } saying which.
 *
 * <pre>{@code
 * ChatModel model = ExampleModel.from(System.getenv(), System.out, CrmUpdateScript::new);
 * }</pre>
 */
public final class ExampleModel {

  /** The OpenAI model used when {@code OPENAI_MODEL} is not set. */
  public static final String DEFAULT_OPENAI_MODEL = "gpt-4.1-mini";

  /** The Anthropic model used when {@code ANTHROPIC_MODEL} is not set. */
  public static final String DEFAULT_ANTHROPIC_MODEL = "claude-haiku-4-5";

  private ExampleModel() {}

  /**
   * The model the environment names, else the scripted one; says which on {@code out}.
   *
   * @param env the environment (usually {@code System.getenv()})
   * @param out where the {@code Model: ...} line goes
   * @param scripted the example's offline model, only called when no real model is configured
   * @return the chosen model
   */
  public static ChatModel from(
      Map<String, String> env, PrintStream out, Supplier<? extends ChatModel> scripted) {
    String openAiKey = value(env, "OPENAI_API_KEY");
    String openAiUrl = value(env, "OPENAI_BASE_URL");
    if (openAiKey != null || openAiUrl != null) {
      OpenAiChatModel.Builder b =
          OpenAiChatModel.builder().model(orDefault(env, "OPENAI_MODEL", DEFAULT_OPENAI_MODEL));
      if (openAiUrl != null) b.baseUrl(openAiUrl);
      if (openAiKey != null) b.apiKey(openAiKey);
      OpenAiChatModel model = b.build();
      out.println(
          "Model: " + model.model() + " at " + (openAiUrl == null ? "the OpenAI API" : openAiUrl));
      return model;
    }
    String anthropicKey = value(env, "ANTHROPIC_API_KEY");
    if (anthropicKey != null) {
      String url = value(env, "ANTHROPIC_BASE_URL");
      AnthropicChatModel.Builder b =
          AnthropicChatModel.builder()
              .model(orDefault(env, "ANTHROPIC_MODEL", DEFAULT_ANTHROPIC_MODEL))
              .apiKey(anthropicKey);
      if (url != null) b.baseUrl(url);
      AnthropicChatModel model = b.build();
      out.println("Model: " + model.model() + " at " + (url == null ? "the Anthropic API" : url));
      return model;
    }
    out.println(
        "Model: the scripted stand-in (set OPENAI_API_KEY, OPENAI_BASE_URL or ANTHROPIC_API_KEY"
            + " to use a real model)");
    return scripted.get();
  }

  private static String orDefault(Map<String, String> env, String name, String fallback) {
    String v = value(env, name);
    return v == null ? fallback : v;
  }

  private static @Nullable String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }
}
