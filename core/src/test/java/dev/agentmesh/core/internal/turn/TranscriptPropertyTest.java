package dev.agentmesh.core.internal.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.StopReason;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.core.spi.Usage;
import dev.agentmesh.testsupport.Seeds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Properties of the one rule about a turn's tool calls, over generated runs: the transcript
 * extended one event at a time owes exactly the calls, and forbids repeating exactly the calls,
 * that a reference reading of the whole history does (the definition sessions and the loop used
 * before they shared one); a transcript never changes when others are extended from it; a failed
 * run leaves owed only what must not be repeated. A failing case prints its seed: rerun it with
 * {@code -Dagentmesh.seed=<seed>}.
 */
class TranscriptPropertyTest {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Instant AT = Instant.parse("2026-03-01T09:00:00Z");

  static Stream<Long> seeds() {
    return Seeds.of(200);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theIncrementalRuleAgreesWithTheWholeHistoryAfterEveryStep(long seed) {
    Seeds.print(TranscriptPropertyTest.class, seed);
    Run run = new Run(new Random(seed));
    Transcript transcript = Transcript.empty();
    Reference reference = new Reference();
    List<Transcript> earlier = new ArrayList<>();
    List<List<ChatMessage>> earlierMessages = new ArrayList<>();
    for (int step = 0; step < 120; step++) {
      Step next = run.next(transcript);
      transcript = next.applyTo(transcript);
      next.applyTo(reference);
      String where = "seed " + seed + ", step " + step + " (" + next + ")";
      assertThat(transcript.messages()).as("%s: messages", where).isEqualTo(reference.messages);
      assertThat(transcript.owed()).as("%s: owed calls", where).isEqualTo(reference.owed());
      assertThat(ids(transcript.unsafeToRepeat()))
          .as("%s: unsafe to repeat", where)
          .isEqualTo(ids(reference.unsafeToRepeat()));
      assertThat(Transcript.of(transcript.messages()).owed())
          .as("%s: owed from messages alone", where)
          .isEqualTo(transcript.owed());
      // a transcript's own view is shared, not appended again: the same as from a plain copy
      Transcript fromCopy = Transcript.of(List.copyOf(transcript.messages()));
      Transcript fromView = Transcript.of(transcript.messages());
      assertThat(fromView.messages())
          .as("%s: messages from the view", where)
          .isEqualTo(fromCopy.messages());
      assertThat(fromView.owed()).as("%s: owed from the view", where).isEqualTo(fromCopy.owed());
      assertThat(fromView.recordedAnswer())
          .as("%s: recorded answer from the view", where)
          .isEqualTo(fromCopy.recordedAnswer());
      earlier.add(transcript);
      earlierMessages.add(List.copyOf(transcript.messages()));
    }
    for (int i = 0; i < earlier.size(); i++) {
      assertThat(earlier.get(i).messages())
          .as("seed %d: transcript %d unchanged by later ones", seed, i)
          .isEqualTo(earlierMessages.get(i));
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aFailedRunLeavesOwedOnlyTheCallsThatMustNotBeRepeated(long seed) {
    Seeds.print(TranscriptPropertyTest.class, seed);
    Random random = new Random(seed);
    Run run = new Run(random);
    Transcript transcript = Transcript.empty();
    int steps = 1 + random.nextInt(60);
    for (int step = 0; step < steps; step++) {
      transcript = run.next(transcript).applyTo(transcript);
    }
    String runId = transcript.currentRun() != null ? transcript.currentRun() : "r0";
    Transcript failed =
        transcript.apply(new AgentEvent.RunFailed(runId, "agent", AT, "Boom", "boom"));
    List<String> owed = failed.owed().stream().map(ToolCall::id).toList();
    assertThat(owed)
        .as("seed %d: owed after the failure", seed)
        .isEqualTo(ids(transcript.unsafeToRepeat()));
    assertThat(ids(failed.unsafeToRepeat()))
        .as("seed %d", seed)
        .isEqualTo(ids(transcript.unsafeToRepeat()));
  }

  @Test
  void onlyCallsOfTheLastAssistantMessageFollowedByToolResultsAreOwedResults() {
    ToolCall a = ToolCall.of("a", "t", JSON.objectNode());
    ToolCall b = ToolCall.of("b", "t", JSON.objectNode());
    ChatMessage calls = ChatMessage.assistant(null, List.of(a, b));
    ChatMessage resultB = Transcript.toolResult("b", "t", JSON.stringNode("ok"));

    assertThat(Transcript.of(List.of(ChatMessage.user("hi"), calls, resultB)).owed())
        .containsExactly(a);
    assertThat(Transcript.of(List.of(calls)).owed()).containsExactly(a, b);
    assertThat(Transcript.of(List.of(calls, resultB, ChatMessage.user("later"))).owed()).isEmpty();
    assertThat(Transcript.of(List.of(ChatMessage.user("hi"), ChatMessage.assistant("done"))).owed())
        .isEmpty();
    assertThat(Transcript.of(List.of()).owed()).isEmpty();
  }

  @Test
  void branchesFromOneTranscriptDoNotSeeEachOther() {
    Transcript base = Transcript.of(List.of(ChatMessage.user("hi")));
    Transcript left = base.append(ChatMessage.assistant("left"));
    Transcript right = base.append(ChatMessage.assistant("right"));
    Transcript leftAgain = base.append(ChatMessage.assistant("left"));

    assertThat(base.messages()).containsExactly(ChatMessage.user("hi"));
    assertThat(left.messages())
        .containsExactly(ChatMessage.user("hi"), ChatMessage.assistant("left"));
    assertThat(right.messages())
        .containsExactly(ChatMessage.user("hi"), ChatMessage.assistant("right"));
    assertThat(leftAgain.messages()).isEqualTo(left.messages());
    assertThat(left.append(ChatMessage.user("more")).messages()).hasSize(3);
    assertThat(right.messages()).hasSize(2);
  }

  @Test
  void aCallOfAChildAgentThatStartedNothingUnsafeMayBeAskedAgain() {
    ToolCall ask = ToolCall.of("c1", "helper", JSON.objectNode());
    Transcript t =
        Transcript.empty()
            .apply(
                new AgentEvent.RunStarted(
                    "r1", "main", AT, "f", JSON.stringNode("go"), null, false))
            .apply(responded("r1", List.of(ask)))
            .apply(new AgentEvent.ToolCalled("r1", "main", AT, ask, false))
            .apply(
                new AgentEvent.RunStarted("k1", "helper", AT, "f", JSON.objectNode(), "r1", false));

    assertThat(t.owed()).containsExactly(ask);
    assertThat(t.unsafeToRepeat()).isEmpty();

    ToolCall charge = ToolCall.of("k-c1", "charge", JSON.objectNode());
    Transcript charged = t.apply(new AgentEvent.ToolCalled("k1", "helper", AT, charge, false));
    assertThat(ids(charged.unsafeToRepeat())).containsExactly("c1");
    assertThat(charged.messages()).isEqualTo(t.messages()); // a child's steps add no message
  }

  // ---- generated runs -------------------------------------------------------------------------

  private static List<String> ids(List<AgentEvent.ToolCalled> calls) {
    return calls.stream().map(c -> c.call().id()).toList();
  }

  private static AgentEvent.ModelResponded responded(String runId, List<ToolCall> calls) {
    return new AgentEvent.ModelResponded(
        runId,
        "main",
        AT,
        1,
        "m",
        calls.isEmpty() ? "done" : null,
        calls,
        Usage.ZERO,
        calls.isEmpty() ? StopReason.END_TURN : StopReason.TOOL_CALLS,
        Duration.ZERO);
  }

  /** One step of a generated history: an event, a message, or a human's word on an outcome. */
  private interface Step {
    Transcript applyTo(Transcript t);

    void applyTo(Reference r);
  }

  private record Event(AgentEvent event) implements Step {
    public Transcript applyTo(Transcript t) {
      return t.apply(event);
    }

    public void applyTo(Reference r) {
      r.apply(event);
    }
  }

  private record Posted(ChatMessage message) implements Step {
    public Transcript applyTo(Transcript t) {
      return t.append(message);
    }

    public void applyTo(Reference r) {
      r.messages.add(message);
    }
  }

  private record Unknown(String callId) implements Step {
    public Transcript applyTo(Transcript t) {
      return t.outcomeUnknown(callId);
    }

    public void applyTo(Reference r) {
      r.unknown.add(callId);
    }
  }

  private record Resolved(String callId, String tool, boolean applied) implements Step {
    public Transcript applyTo(Transcript t) {
      return t.resolved(callId, tool, applied ? JSON.stringNode("ok") : null, "no");
    }

    public void applyTo(Reference r) {
      r.unknown.remove(callId);
      r.started.remove(callId);
      r.messages.add(
          applied
              ? Transcript.toolResult(callId, tool, JSON.stringNode("ok"))
              : Transcript.toolFailure(callId, tool, "no"));
    }
  }

  /** Plausible runs: top-level runs (restarted after crashes and failures), child agents. */
  private static final class Run {
    private final Random random;
    private int runs;
    private int calls;
    private int children;
    private String runId = "r0";
    private List<ToolCall> asked = List.of();
    private final List<Step> queued = new ArrayList<>();
    private final Map<String, String> unknown = new LinkedHashMap<>();

    Run(Random random) {
      this.random = random;
    }

    Step next(Transcript now) {
      if (!queued.isEmpty()) {
        return queued.remove(0);
      }
      if (runs == 0) {
        runs++;
        return new Event(
            new AgentEvent.RunStarted(runId, "main", AT, "f", JSON.stringNode("go"), null, false));
      }
      int choice = random.nextInt(100);
      if (choice < 22) {
        List<ToolCall> batch = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          String[] tools = {"lookup", "charge", "helper"};
          String id = random.nextInt(10) == 0 ? "c0" : "c" + (++calls);
          batch.add(
              ToolCall.of(id, tools[random.nextInt(tools.length)], JSON.objectNode().put("n", i)));
        }
        asked = List.copyOf(batch);
        return new Event(responded(runId, asked));
      }
      if (choice < 60 && !asked.isEmpty()) {
        ToolCall call = asked.get(random.nextInt(asked.size()));
        queueCall(call);
        return queued.remove(0);
      }
      if (choice < 66) {
        return new Event(new AgentEvent.OutputRejected(runId, "main", AT, List.of("not JSON")));
      }
      if (choice < 71) {
        return new Posted(ChatMessage.user("later " + choice, "ana"));
      }
      if (choice < 78) {
        String failed = runId;
        newRun();
        return new Event(new AgentEvent.RunFailed(failed, "main", AT, "Boom", "boom"));
      }
      if (choice < 86) {
        newRun(); // a crash: the next driver starts a continued run
        return queued.remove(0);
      }
      if (choice < 93 && !now.unsafeToRepeat().isEmpty()) {
        AgentEvent.ToolCalled call = now.unsafeToRepeat().get(0);
        unknown.put(call.call().id(), call.call().name());
        return new Unknown(call.call().id());
      }
      if (!unknown.isEmpty()) {
        Map.Entry<String, String> first = unknown.entrySet().iterator().next();
        unknown.remove(first.getKey());
        return new Resolved(first.getKey(), first.getValue(), random.nextBoolean());
      }
      return new Event(new AgentEvent.ModelCalled(runId, "main", AT, 1, "m", 3));
    }

    private void newRun() {
      runId = "r" + (runs++);
      queued.add(
          new Event(
              new AgentEvent.RunStarted(
                  runId, "main", AT, "f", JSON.stringNode("go"), null, true)));
    }

    private void queueCall(ToolCall call) {
      queued.add(
          new Event(
              new AgentEvent.ToolCalled(runId, "main", AT, call, call.name().equals("lookup"))));
      if (call.name().equals("helper")) {
        String child = runId + ".k" + (++children);
        queued.add(
            new Event(
                new AgentEvent.RunStarted(
                    child, "helper", AT, "f", call.arguments(), runId, false)));
        if (random.nextBoolean()) {
          ToolCall charge = ToolCall.of(child + ".c", "charge", JSON.objectNode());
          queued.add(new Event(new AgentEvent.ToolCalled(child, "helper", AT, charge, false)));
          queued.add(
              new Event(
                  new AgentEvent.ToolReturned(
                      child,
                      "helper",
                      AT,
                      charge.id(),
                      "charge",
                      JSON.stringNode("charged"),
                      Duration.ZERO)));
        }
        if (random.nextBoolean()) {
          queued.add(
              new Event(
                  new AgentEvent.OutputProduced(
                      child, "helper", AT, JSON.stringNode("x"), Usage.ZERO)));
        }
      }
      int outcome = random.nextInt(10);
      if (outcome < 6) {
        queued.add(
            new Event(
                new AgentEvent.ToolReturned(
                    runId,
                    "main",
                    AT,
                    call.id(),
                    call.name(),
                    JSON.stringNode("ok"),
                    Duration.ZERO)));
      } else if (outcome < 8) {
        queued.add(
            new Event(
                new AgentEvent.ToolFailed(
                    runId,
                    "main",
                    AT,
                    call.id(),
                    call.name(),
                    AgentEvent.ToolFailure.EXCEPTION,
                    "failed")));
      } // else: no outcome yet (a crash comes, or the batch goes on)
    }
  }

  // ---- the reference: the rule read from the whole history, never pruned -----------------------

  /** The rule as sessions and the loop defined it apart, over everything seen so far. */
  private static final class Reference {
    final List<ChatMessage> messages = new ArrayList<>();
    final Map<String, AgentEvent.ToolCalled> started = new LinkedHashMap<>();
    final Map<String, String[]> childRuns = new LinkedHashMap<>();
    final Set<String> unsafeRuns = new HashSet<>();
    final Set<String> unknown = new HashSet<>();

    void apply(AgentEvent event) {
      if (event instanceof AgentEvent.ToolCalled called && !called.idempotent()) {
        for (String run = event.runId(); run != null && unsafeRuns.add(run); ) {
          String[] child = childRuns.get(run);
          run = child == null ? null : child[0];
        }
      }
      if (childRuns.containsKey(event.runId())) {
        return;
      }
      if (event instanceof AgentEvent.RunStarted s) {
        if (s.parentRunId() != null) {
          childRuns.put(s.runId(), new String[] {s.parentRunId(), s.agent()});
        } else if (!s.continued()) {
          messages.add(Transcript.inputMessage(s.input()));
        }
      } else if (event instanceof AgentEvent.ModelResponded r) {
        messages.add(
            ChatMessage.assistant(
                r.text() == null && r.toolCalls().isEmpty() ? "" : r.text(), r.toolCalls()));
      } else if (event instanceof AgentEvent.ToolCalled called) {
        started.put(called.call().id(), called);
      } else if (event instanceof AgentEvent.ToolReturned r) {
        started.remove(r.callId());
        messages.add(Transcript.toolResult(r.callId(), r.tool(), r.result()));
      } else if (event instanceof AgentEvent.ToolFailed f) {
        started.remove(f.callId());
        messages.add(Transcript.toolFailure(f.callId(), f.tool(), f.message()));
      } else if (event instanceof AgentEvent.OutputRejected rejected) {
        messages.add(Transcript.repairRequest(rejected.errors()));
      } else if (event instanceof AgentEvent.RunFailed failed) {
        Set<String> unsafe = new HashSet<>(ids(unsafeToRepeat()));
        for (ToolCall call : owed()) {
          if (!unsafe.contains(call.id())) {
            String what = started.containsKey(call.id()) ? "returned" : "started";
            messages.add(
                Transcript.toolFailure(
                    call.id(),
                    call.name(),
                    "No result: the run failed ("
                        + failed.error()
                        + ") before this call "
                        + what
                        + "."));
          }
        }
        started.keySet().retainAll(unsafe);
      }
    }

    /** The calls of the last assistant message, walking back over tool results only. */
    List<ToolCall> owed() {
      Set<String> answered = new HashSet<>();
      for (int i = messages.size() - 1; i >= 0; i--) {
        ChatMessage m = messages.get(i);
        if (m.role() == ChatMessage.Role.TOOL) {
          answered.add(m.toolCallId());
        } else if (m.role() == ChatMessage.Role.ASSISTANT) {
          return m.toolCalls().stream().filter(c -> !answered.contains(c.id())).toList();
        } else {
          return List.of();
        }
      }
      return List.of();
    }

    List<AgentEvent.ToolCalled> unsafeToRepeat() {
      List<AgentEvent.ToolCalled> unsafe = new ArrayList<>();
      for (ToolCall call : owed()) {
        AgentEvent.ToolCalled called = started.get(call.id());
        if (called != null
            && !called.idempotent()
            && !unknown.contains(call.id())
            && !safeChild(called)) {
          unsafe.add(called);
        }
      }
      return unsafe;
    }

    private boolean safeChild(AgentEvent.ToolCalled called) {
      boolean any = false;
      for (Map.Entry<String, String[]> e : childRuns.entrySet()) {
        if (e.getValue()[0].equals(called.runId())
            && e.getValue()[1].equals(called.call().name())) {
          if (unsafeRuns.contains(e.getKey())) {
            return false;
          }
          any = true;
        }
      }
      return any;
    }
  }
}
