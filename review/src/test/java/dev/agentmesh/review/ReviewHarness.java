package dev.agentmesh.review;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.review.notify.Notifier;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.ParticipantRole;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A small world for review tests: agent {@code replier} drafts an {@link OutboundMessage} (its body
 * says how many change requests it has read), reviewed by bo and cy (tokens {@code t-bo}, {@code
 * t-cy}; eve has a token too but is no reviewer), one approval by default; a publisher that records
 * what it sends; sessions and reviews on one in-memory store, driven on the caller's thread, with a
 * clock tests move.
 */
final class ReviewHarness {

  static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  static final Duration WAIT = Duration.ofSeconds(10);

  final FakeClock clock = FakeClock.at(START);
  final SessionStore store;
  final List<Publication> sent = new CopyOnWriteArrayList<>();
  final Mesh mesh;
  final List<AutoCloseable> opened = new ArrayList<>();
  final List<ChatRequest> requests = new CopyOnWriteArrayList<>();

  ReviewHarness() {
    this(InMemorySessionStore.create(), ReviewHarness::oneApproval);
  }

  ReviewHarness(SessionStore store, UnaryOperator<ReviewPolicy.Builder> policy) {
    this.store = store;
    this.mesh =
        Mesh.builder()
            .clock(clock)
            .model("default", model(requests))
            .tool(
                AgentTool.builder("refund")
                    .description("Refunds an order")
                    .idempotent(false)
                    .handler((args, ctx) -> "refunded " + args.path("order").asString())
                    .build())
            .agent(
                AgentSpec.builder("replier")
                    .instructions("Draft the reply to the customer.")
                    .outputType(OutboundMessage.class)
                    .review(policy.apply(oneApproval(ReviewPolicy.builder())).build())
                    .build())
            .agent(
                AgentSpec.builder("support")
                    .instructions("Help the customer.")
                    .tools("refund")
                    .review(
                        ReviewPolicy.builder()
                            .reviewers("bo")
                            .groups("support-leads")
                            .tools("refund")
                            .build())
                    .build())
            .agent(AgentSpec.builder("security").instructions("Review for leaks.").build())
            .agent(
                AgentSpec.builder("crm")
                    .instructions("Update the contact.")
                    .outputType(RecordChange.class)
                    .review(
                        ReviewPolicy.builder()
                            .required(true)
                            .reviewers("bo")
                            .artifact("record-change")
                            .risk(ReviewPolicy.Risk.MEDIUM)
                            .autoApproveBelow(ReviewPolicy.Risk.MEDIUM)
                            .fieldRisk(Map.of("note", ReviewPolicy.Risk.LOW))
                            .build())
                    .build())
            .build();
  }

  /** Required, reviewers bo and cy, one approval, output an outbound message. */
  static ReviewPolicy.Builder oneApproval(ReviewPolicy.Builder b) {
    return b.required(true).reviewers("bo", "cy").approvals(1).artifact("outbound-message");
  }

  static final Authenticator TOKENS =
      Authenticator.tokens(
          Map.of(
              "t-bo", Reviewer.of("bo"),
              "t-cy", Reviewer.of("cy", "support-leads"),
              "t-eve", Reviewer.of("eve")));

  Reviews.Builder reviews() {
    return Reviews.builder(mesh)
        .store(store)
        .clock(clock)
        .authenticator(TOKENS)
        .publisher("outbound-message", p -> sent.add(p) ? Map.of("sent", sent.size()) : null)
        .sweepInterval(null)
        .deliveryExecutor(Runnable::run);
  }

  /** Builds reviews and their sessions (one node), both closed by {@link #close}. */
  Node node(String nodeId, Reviews.Builder reviews) {
    Reviews r = reviews.build();
    Sessions s =
        Sessions.builder(mesh)
            .store(store)
            .clock(clock)
            .executor(Runnable::run)
            .nodeId(nodeId)
            .extension(r)
            .build();
    opened.add(s);
    opened.add(r);
    return new Node(s, r);
  }

  Node node() {
    return node("a", reviews());
  }

  Node node(Notifier notifier) {
    return node("a", reviews().notifier("test", notifier));
  }

  record Node(Sessions sessions, Reviews reviews) {
    Session start(String ticket) {
      Session session =
          sessions
              .newSession("replier")
              .input(ticket)
              .participant("ana", ParticipantRole.OWNER)
              .start();
      session.awaitIdle(WAIT);
      return session;
    }

    ReviewState pending(Session session) {
      List<ReviewState> pending = reviews.pending(session.id());
      if (pending.size() != 1) {
        throw new AssertionError("expected one pending review but found " + pending);
      }
      return pending.get(0);
    }
  }

  void close() {
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Drafts a reply; its body counts the change requests the conversation holds. */
  private static ChatModel model(List<ChatRequest> seen) {
    return new ChatModel() {
      @Override
      public ChatResponse chat(ChatRequest request) {
        seen.add(request);
        if (!request.tools().isEmpty()) {
          ChatMessage last = request.messages().get(request.messages().size() - 1);
          if (last.role() == ChatMessage.Role.TOOL) {
            return ChatResponse.ofText("support done: " + last.textOrEmpty());
          }
          return ChatResponse.ofToolCalls(
              dev.agentmesh.core.spi.ToolCall.of(
                  "call-" + request.messages().size(),
                  "refund",
                  tools.jackson.databind.node.JsonNodeFactory.instance
                      .objectNode()
                      .put("order", "o-" + request.messages().size())));
        }
        if ("crm".equals(request.metadata().get("agent"))) {
          return ChatResponse.ofText(
              "{\"system\":\"crm\",\"recordType\":\"contact\",\"recordId\":\"c-1\","
                  + "\"versionRead\":\"v1\",\"changes\":["
                  + "{\"field\":\"note\",\"before\":\"\",\"after\":\"called back\"},"
                  + "{\"field\":\"plan\",\"before\":\"basic\",\"after\":\"pro\"}]}");
        }
        int changes = 0;
        String ticket = "";
        for (ChatMessage m : request.messages()) {
          String text = m.textOrEmpty();
          if (text.contains("Changes requested")) {
            changes++;
          }
          if (m.role() == ChatMessage.Role.USER && ticket.isEmpty()) {
            ticket = text;
          }
        }
        String body =
            "Hello, about \\\""
                + ticket.replace("\"", "").replace("\\", "")
                + "\\\": draft "
                + (changes + 1);
        return ChatResponse.ofText(
            "{\"channel\":\"email\",\"sender\":\"support@example.com\",\"to\":[\"kim@customer.example\"],"
                + "\"cc\":[],\"bcc\":[],\"subject\":\"Your invoice\",\"body\":\""
                + body
                + "\"}");
      }

      @Override
      public String name() {
        return "drafts";
      }
    };
  }
}
