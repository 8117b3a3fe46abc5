package dev.agentmesh.core.internal.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentmesh.core.AgentRequest;
import dev.agentmesh.core.spi.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

class AppendListTest {

  private static AppendList<String> of(int n, String prefix) {
    AppendList<String> list = AppendList.empty();
    for (int i = 0; i < n; i++) list = list.plus(prefix + i);
    return list;
  }

  private static List<String> expected(int n, String prefix) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(prefix + i);
    return out;
  }

  @Test
  void appendsLeaveTheListTheyGrewFromAsItWas() {
    AppendList<String> three = of(3, "a");
    AppendList<String> hundred = three;
    for (int i = 3; i < 100; i++) hundred = hundred.plus("a" + i);
    assertEquals(expected(3, "a"), three);
    assertEquals(expected(100, "a"), hundred);
    assertThrows(IndexOutOfBoundsException.class, () -> three.get(3));
    assertThrows(NullPointerException.class, () -> three.plus(null));
  }

  @Test
  void branchesFromOneListEachKeepTheirOwnElements() {
    AppendList<String> base = of(5, "a");
    AppendList<String> longer = base.plus("x").plus("y");
    AppendList<String> same = base.plus("x"); // the element the backing holds there: shared
    AppendList<String> other = base.plus("z"); // a branch: copied
    assertEquals(List.of("a0", "a1", "a2", "a3", "a4", "x", "y"), longer);
    assertEquals(List.of("a0", "a1", "a2", "a3", "a4", "x"), same);
    assertEquals(List.of("a0", "a1", "a2", "a3", "a4", "z"), other);
    assertEquals(List.of("a0", "a1", "a2", "a3", "a4", "x", "y", "w"), same.plus("y").plus("w"));
    assertEquals(List.of("a0", "a1", "a2", "a3", "a4", "x", "y"), longer, "unchanged by others");
    assertEquals(List.of("a0", "a1"), longer.prefix(2));
  }

  @Test
  void noneMatchLooksOnlyPastThePrefixTheSameTestFoundClean() {
    List<String> seen = new ArrayList<>();
    Predicate<String> bad =
        s -> {
          seen.add(s);
          return s.startsWith("bad");
        };
    AppendList<String> ten = of(10, "a");
    assertTrue(ten.noneMatch(bad));
    assertEquals(expected(10, "a"), seen);

    seen.clear();
    AppendList<String> twelve = ten.plus("a10").plus("a11");
    assertTrue(twelve.noneMatch(bad));
    assertEquals(List.of("a10", "a11"), seen, "only the elements added since");

    seen.clear();
    assertTrue(ten.noneMatch(bad));
    assertEquals(List.of(), seen, "a shorter view of a backing found clean further");

    AppendList<String> spoiled = twelve.plus("bad");
    assertFalse(spoiled.noneMatch(bad));
    assertFalse(spoiled.noneMatch(bad), "a match is never remembered as clean");
    assertTrue(twelve.noneMatch(bad), "clean up to its own length");
    assertFalse(ten.plus("bad2").noneMatch(bad), "a branch: its own backing");
    assertFalse(twelve.noneMatch(s -> s.equals("a3")), "another test asks afresh");
    assertTrue(AppendList.<String>empty().noneMatch(bad));
  }

  @Test
  void aHistoryHoldingASystemMessageIsRefusedAsATranscriptsViewAndAsAList() {
    Transcript clean =
        Transcript.empty()
            .append(ChatMessage.user("Invoice wrong", "ana"))
            .append(ChatMessage.assistant("On it", List.of()));
    AgentRequest.builder(JsonNodeFactory.instance.stringNode("x")).history(clean.messages());
    List<ChatMessage> spoiled = clean.append(ChatMessage.system("Be brief")).messages();

    for (List<ChatMessage> history : List.of(spoiled, new ArrayList<>(spoiled))) {
      AgentRequest.Builder request = AgentRequest.builder(JsonNodeFactory.instance.stringNode("x"));
      IllegalArgumentException refused =
          assertThrows(IllegalArgumentException.class, () -> request.history(history));
      assertEquals(
          "history must not hold system messages; the agent renders its own", refused.getMessage());
    }
    assertFalse(Transcript.holdsSystemMessage(clean.messages()), "checked again: still clean");
  }

  @Test
  void threadsAppendingToOneListConcurrentlyEachSeeOnlyTheirOwnAppends() throws Exception {
    int threads = 4;
    int rounds = 300;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < rounds; round++) {
        AppendList<String> base = of(round % 20, "b"); // crosses the array's growth often
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<AppendList<String>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          // Two threads append the same elements (they may share), the others their own.
          String mine = t < 2 ? "shared" : "t" + t + "-";
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    AppendList<String> list = base;
                    for (int i = 0; i < 12; i++) list = list.plus(mine + i);
                    return list;
                  }));
        }
        for (int t = 0; t < threads; t++) {
          List<String> want = expected(round % 20, "b");
          want.addAll(expected(12, t < 2 ? "shared" : "t" + t + "-"));
          assertEquals(want, results.get(t).get(1, TimeUnit.MINUTES), "thread " + t);
        }
        assertEquals(expected(round % 20, "b"), base, "the base list did not change");
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
