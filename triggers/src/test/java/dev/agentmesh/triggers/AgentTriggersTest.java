package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ModelException;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.testing.ScriptedModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * An agent starts a child session for another agent; the child's result comes back as its tool
 * call's result, also when the node that suspended the call is gone.
 */
class AgentTriggersTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final InMemorySessionStore store = InMemorySessionStore.create();
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : opened) c.close();
  }

  /** The planner asks for a child session of {@code child}, then reports the tool's answer. */
  private Mesh mesh(String child, boolean writerFails) {
    ScriptedModel planner =
        ScriptedModel.builder()
            .when(
                r -> toolResult(r) == null,
                r ->
                    ChatResponse.ofToolCalls(
                        ToolCall.of(
                            "call-1",
                            AgentTriggers.TOOL,
                            JSON.readTree(
                                "{\"agent\":\"" + child + "\",\"input\":\"draft the notes\"}"))))
            .when(r -> true, r -> ChatResponse.ofText("planner saw: " + toolResult(r)))
            .build();
    ScriptedModel writer =
        writerFails
            ? ScriptedModel.builder().fail(ModelException.Kind.BAD_REQUEST).build()
            : ScriptedModel.builder()
                .when(r -> true, r -> ChatResponse.ofText("the draft"))
                .build();
    return Mesh.builder()
        .agent(
            AgentSpec.builder("planner")
                .instructions("Plan {{input}}")
                .model("planner")
                .tools(AgentTriggers.TOOL)
                .build())
        .agent(AgentSpec.builder("writer").instructions("Write {{input}}").model("writer").build())
        .tool(AgentTriggers.tool())
        .model("planner", planner)
        .model("writer", writer)
        .build();
  }

  private static String toolResult(ChatRequest r) {
    for (ChatMessage m : r.messages()) {
      if (m.role() == ChatMessage.Role.TOOL) return m.textOrEmpty();
    }
    return null;
  }

  /** A node with the extension installed; a dead one only had the gate (never bound). */
  private Sessions node(Mesh mesh, AgentTriggers children, boolean bind) {
    Sessions.Builder b = Sessions.builder(mesh).store(store);
    Sessions sessions =
        bind ? b.extension(children).build() : b.suspendCalls(children.gate()).build();
    opened.add(0, sessions);
    opened.add(0, children);
    return sessions;
  }

  private static AgentTriggers children() {
    return AgentTriggers.builder().sweepInterval(null).build();
  }

  @Test
  void theChildRecordsItsParentAndItsOutputBecomesTheParentsToolResult() {
    Sessions sessions = node(mesh("writer", false), children(), true);

    Session parent = sessions.newSession("planner").input("the launch").start();
    SessionState done = parent.awaitFinished(WAIT);

    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(done.output().asString()).isEqualTo("planner saw: the draft");
    List<dev.agentmesh.sessions.spi.SessionSummary> kids =
        sessions
            .query(SessionQuery.builder().origin(Origin.session(parent.id(), "call-1")).build())
            .sessions();
    assertThat(kids).hasSize(1);
    SessionState child = sessions.session(kids.get(0).id()).state();
    assertThat(child.agent()).isEqualTo("writer");
    assertThat(child.startedBy()).isEqualTo(parent.id());
    assertThat(child.forkedFrom()).isNull();
    assertThat(child.input().asString()).isEqualTo("draft the notes");
  }

  @Test
  void aFailedChildFailsTheParentsCallAndThePlannerIsToldWhy() {
    Sessions sessions = node(mesh("writer", true), children(), true);

    SessionState done = sessions.newSession("planner").input("x").start().awaitFinished(WAIT);

    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(done.output().asString())
        .startsWith("planner saw: ")
        .contains("of agent 'writer' failed");
  }

  @Test
  void anUnknownAgentFailsTheCallInsteadOfHangingTheParent() {
    Sessions sessions = node(mesh("ghost", false), children(), true);

    SessionState done = sessions.newSession("planner").input("x").start().awaitFinished(WAIT);

    assertThat(done.output().asString()).contains("could not start a session for agent 'ghost'");
  }

  @Test
  void aNodeThatDiedAfterTheSuspensionLosesNothingTheNextNodesSweepStartsAndAnswers() {
    Mesh mesh = mesh("writer", false);
    Sessions dead = node(mesh, children(), false); // never bound: it died after the suspension
    Session parent = dead.newSession("planner").input("x").start();
    assertThat(parent.awaitIdle(WAIT).suspendedCalls()).hasSize(1);

    AgentTriggers survivor = children();
    Sessions other = node(mesh, survivor, true);
    SessionState done = other.session(parent.id()).awaitFinished(WAIT);

    assertThat(done.output().asString()).isEqualTo("planner saw: the draft");
    assertThat(survivor.sweep()).as("nothing left to do, nothing done twice").isZero();
  }

  @Test
  void aChildThatFinishedWhileNoNodeWatchedIsAnsweredByTheSweepOnce() {
    Mesh mesh = mesh("writer", false);
    Sessions dead = node(mesh, children(), false);
    Session parent = dead.newSession("planner").input("x").start();
    SessionState.SuspendedCall call = parent.awaitIdle(WAIT).suspendedCalls().get(0);
    // The dead node had started the child (same key, same origin) before it died:
    Session child =
        dead.newSession("writer")
            .input("draft the notes")
            .origin(Origin.session(parent.id(), call.callId()))
            .idempotencyKey("agent-trigger:" + parent.id() + "/" + call.callId())
            .start();
    child.awaitFinished(WAIT);

    assertThat(parent.state().status()).isEqualTo(SessionStatus.WAITING);
    AgentTriggers survivor = children();
    Sessions other = node(mesh, survivor, true);
    SessionState done = other.session(parent.id()).awaitFinished(WAIT);

    assertThat(done.output().asString()).isEqualTo("planner saw: the draft");
    assertThat(
            other
                .query(SessionQuery.builder().origin(Origin.session(parent.id(), "call-1")).build())
                .sessions())
        .as("the child was not started twice")
        .hasSize(1);
    assertThat(survivor.sweep()).isZero();
  }

  /** Agent "loop" starts another "loop" session, which does the same, without end. */
  private Mesh loopMesh() {
    ScriptedModel loop =
        ScriptedModel.builder()
            .when(
                r -> toolResult(r) == null,
                r ->
                    ChatResponse.ofToolCalls(
                        ToolCall.of(
                            "call-1",
                            AgentTriggers.TOOL,
                            JSON.readTree("{\"agent\":\"loop\",\"input\":\"again\"}"))))
            .when(r -> true, r -> ChatResponse.ofText("loop saw: " + toolResult(r)))
            .build();
    return Mesh.builder()
        .agent(
            AgentSpec.builder("loop")
                .instructions("Loop {{input}}")
                .model("loop")
                .tools(AgentTriggers.TOOL)
                .build())
        .tool(AgentTriggers.tool())
        .model("loop", loop)
        .build();
  }

  @Test
  void childrenStartingChildrenStopAtTheDepthLimitWithAnErrorNamingTheChain() {
    AgentTriggers children = AgentTriggers.builder().sweepInterval(null).maxDepth(2).build();
    Sessions sessions = node(loopMesh(), children, true);

    Session root = sessions.newSession("loop").input("go").start();
    SessionState done = root.awaitFinished(WAIT);

    String output = done.output().asString();
    assertThat(output)
        .startsWith("loop saw: loop saw: loop saw: ")
        .contains("could not start a session for agent 'loop'")
        .contains("nested 3 deep, and maxDepth is 2")
        .contains("(chain: loop (" + root.id() + ") -> loop (")
        .contains("maxDepth(...)");
    assertThat(sessions.query(SessionQuery.builder().limit(100).build()).sessions())
        .as("the root and two levels of children, no more")
        .hasSize(3);
  }

  @Test
  void aParentMayStartOnlyTheAgentsItsAllowListNames() {
    AgentTriggers children =
        AgentTriggers.builder().sweepInterval(null).allow("planner", "editor").build();
    Sessions sessions = node(mesh("writer", false), children, true);

    SessionState done = sessions.newSession("planner").input("x").start().awaitFinished(WAIT);

    assertThat(done.output().asString())
        .contains("could not start a session for agent 'writer'")
        .contains("agent 'planner' may start only [editor]")
        .contains("allow(\"planner\", \"writer\")");
    assertThat(sessions.query(SessionQuery.builder().agent("writer").build()).sessions()).isEmpty();
  }

  @Test
  void anAllowListNamingTheChildLetsItStart() {
    AgentTriggers children =
        AgentTriggers.builder().sweepInterval(null).allow("planner", "writer").build();
    Sessions sessions = node(mesh("writer", false), children, true);

    SessionState done = sessions.newSession("planner").input("x").start().awaitFinished(WAIT);

    assertThat(done.output().asString()).isEqualTo("planner saw: the draft");
  }

  @Test
  void aChildDeclaredByAnAgentTriggerFromItsParentStarts() {
    List<TriggerSpec> declared =
        TriggerSpecs.parse(
            """
            triggers:
              - {id: nightly, kind: cron, schedule: '0 2 * * *', agent: planner}
              - {id: planner-writes, kind: agent, agent: writer, from: [planner]}
            """,
            "triggers.yaml");
    AgentTriggers children = AgentTriggers.builder().sweepInterval(null).declared(declared).build();
    Sessions sessions = node(mesh("writer", false), children, true);

    SessionState done = sessions.newSession("planner").input("x").start().awaitFinished(WAIT);

    assertThat(done.output().asString()).isEqualTo("planner saw: the draft");
  }

  @Test
  void aChildNoAgentTriggerDeclaresForItsParentIsRefusedAndTheModelReadsHowToDeclareIt() {
    List<TriggerSpec> declared =
        List.of(TriggerSpec.fromAgents("planner-edits", "planner").agent("editor").build());
    AgentTriggers children = AgentTriggers.builder().sweepInterval(null).declared(declared).build();
    Sessions sessions = node(mesh("writer", false), children, true);

    SessionState done = sessions.newSession("planner").input("x").start().awaitFinished(WAIT);

    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(done.output().asString())
        .isEqualTo(
            "planner saw: could not start a session for agent 'writer': no trigger of kind agent"
                + " lets 'planner' start it (the trigger files let 'planner' start [editor]); to"
                + " allow it, declare one in a trigger file: {id: planner-starts-writer, kind:"
                + " agent, agent: writer, from: [planner]}");
    assertThat(sessions.query(SessionQuery.builder().agent("writer").build()).sessions()).isEmpty();
  }

  @Test
  void withDeclarationsGivenAParentNoTriggerNamesMayStartNothing() {
    AgentTriggers children =
        AgentTriggers.builder().sweepInterval(null).declared(List.of()).build();
    Sessions sessions = node(mesh("writer", false), children, true);

    SessionState done = sessions.newSession("planner").input("x").start().awaitFinished(WAIT);

    assertThat(done.output().asString())
        .contains("the trigger files let 'planner' start no agent")
        .contains("{id: planner-starts-writer, kind: agent, agent: writer, from: [planner]}");
    assertThat(sessions.query(SessionQuery.builder().agent("writer").build()).sessions()).isEmpty();
  }
}
