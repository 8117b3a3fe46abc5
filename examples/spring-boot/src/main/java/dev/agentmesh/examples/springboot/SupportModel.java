package dev.agentmesh.examples.springboot;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.Usage;
import dev.agentmesh.models.AnthropicChatModel;
import dev.agentmesh.models.OpenAiChatModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The model behind the alias {@code fast}: a real one when the environment names it, else a
 * deterministic stand-in that answers the way a model following the two specs would, so the
 * application runs and its tests pass with no key and no server.
 *
 * <pre>{@code
 * ChatModel model = SupportModel.from(environment); // OPENAI_API_KEY, ANTHROPIC_API_KEY, or scripted
 * }</pre>
 */
public final class SupportModel implements ChatModel {

  private static final Logger LOG = LoggerFactory.getLogger(SupportModel.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * An OpenAI-compatible model when {@code OPENAI_API_KEY} or {@code OPENAI_BASE_URL} is set
   * ({@code OPENAI_MODEL}, default {@code gpt-4.1-mini}), else Anthropic when {@code
   * ANTHROPIC_API_KEY} is set ({@code ANTHROPIC_MODEL}, default {@code claude-sonnet-4-5}), else
   * the stand-in. Logs which.
   *
   * @param env Spring's environment (environment variables and properties alike)
   * @return the model
   */
  public static ChatModel from(Environment env) {
    String openAiKey = env.getProperty("OPENAI_API_KEY", "");
    String openAiUrl = env.getProperty("OPENAI_BASE_URL", "");
    if (!openAiKey.isBlank() || !openAiUrl.isBlank()) {
      OpenAiChatModel.Builder b =
          OpenAiChatModel.builder().model(env.getProperty("OPENAI_MODEL", "gpt-4.1-mini"));
      if (!openAiKey.isBlank()) b.apiKey(openAiKey);
      if (!openAiUrl.isBlank()) b.baseUrl(openAiUrl);
      return logged(b.build());
    }
    String anthropicKey = env.getProperty("ANTHROPIC_API_KEY", "");
    if (!anthropicKey.isBlank()) {
      return logged(
          AnthropicChatModel.builder()
              .apiKey(anthropicKey)
              .model(env.getProperty("ANTHROPIC_MODEL", "claude-sonnet-4-5"))
              .build());
    }
    LOG.info(
        "Model: the scripted stand-in (set OPENAI_API_KEY, OPENAI_BASE_URL or ANTHROPIC_API_KEY"
            + " to use a real model)");
    return new SupportModel();
  }

  private static ChatModel logged(ChatModel model) {
    LOG.info("Model: {}", model.name());
    return model;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    ChatResponse.Builder answer =
        ChatResponse.builder().usage(Usage.of(tokens(request), 40)).modelId(name());
    if ("reply".equals(request.metadata().get("agent"))) {
      return answer.text(JSON.writeValueAsString(reply(ticketOf(request)))).build();
    }
    return answer
        .text(
            "Replies wait for your approval in /reviews. Decide the oldest first: "
                + "its customer has waited longest.")
        .build();
  }

  /** The reply agent's draft: an e-mail as the {@code outbound-message} artifact type has it. */
  private static ObjectNode reply(JsonNode ticket) {
    String customer = ticket.path("customer").asString("customer");
    ObjectNode out =
        JSON.createObjectNode().put("channel", "email").put("sender", "support@example.com");
    out.putArray("to").add("help@" + customer + ".example");
    out.putArray("cc");
    out.putArray("bcc");
    out.put("subject", "Re: " + ticket.path("subject").asString(""));
    out.put(
        "body",
        "Hello,\n\nthank you for writing to us. We are looking into it and will answer within one"
            + " working day.\n\nKind regards,\nExample Co support");
    return out;
  }

  /** The ticket: the run's input, the first user message that is JSON. */
  private static JsonNode ticketOf(ChatRequest request) {
    for (ChatMessage m : request.messages()) {
      if (m.role() == ChatMessage.Role.USER && m.textOrEmpty().startsWith("{")) {
        return JSON.readTree(m.textOrEmpty());
      }
    }
    return JSON.createObjectNode();
  }

  private static long tokens(ChatRequest request) {
    long chars = 0;
    for (ChatMessage m : request.messages()) chars += m.textOrEmpty().length();
    return Math.max(1, chars / 4);
  }

  @Override
  public String name() {
    return "scripted-support";
  }
}
