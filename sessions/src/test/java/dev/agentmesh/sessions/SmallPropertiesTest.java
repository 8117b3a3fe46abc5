package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.testsupport.Seeds;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link SmallProperties} behaves as the {@link LinkedHashMap} of Jackson's own object nodes: the
 * same answers, order, equality and views under generated sequences of changes, and an object node
 * over it is equal to, and written as, one over a LinkedHashMap.
 */
class SmallPropertiesTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final List<String> NAMES = List.of("a", "b", "c", "d", "e", "f", "g", "h");

  static Stream<Long> seeds() {
    return Seeds.of(200);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void everyChangeLeavesTheMapALinkedHashMapWouldBe(long seed) {
    Seeds.print(SmallPropertiesTest.class, seed);
    Random random = new Random(seed);
    Map<String, JsonNode> small = new SmallProperties(random.nextInt(4));
    Map<String, JsonNode> linked = new LinkedHashMap<>();
    for (int step = 0; step < 60; step++) {
      String name = new String(NAMES.get(random.nextInt(NAMES.size()))); // equal, not the same
      JsonNode value = F.numberNode(random.nextInt(5));
      switch (random.nextInt(8)) {
        case 0, 1 -> assertThat(small.put(name, value)).isEqualTo(linked.put(name, value));
        case 2 -> {
          if (!linked.containsKey(name)) { // what add is for: a name the map does not hold
            ((SmallProperties) small).add(name, value);
            linked.put(name, value);
          }
        }
        case 3 -> assertThat(small.remove(name)).isEqualTo(linked.remove(name));
        case 4 -> {
          small.entrySet().removeIf(e -> e.getValue().intValue() == value.intValue());
          linked.entrySet().removeIf(e -> e.getValue().intValue() == value.intValue());
        }
        case 5 -> {
          setEvery(small, name, value);
          setEvery(linked, name, value);
        }
        case 6 -> {
          small.keySet().retainAll(List.of(name, "a"));
          linked.keySet().retainAll(List.of(name, "a"));
        }
        default -> {
          if (random.nextInt(10) == 0) {
            small.clear();
            linked.clear();
          }
        }
      }
      assertThat(small.get(name)).isEqualTo(linked.get(name));
      assertThat(small.containsKey(name)).isEqualTo(linked.containsKey(name));
      assertThat(new ArrayList<>(small.entrySet())).isEqualTo(new ArrayList<>(linked.entrySet()));
      assertThat(small).isEqualTo(linked).hasSameHashCodeAs(linked).hasToString(linked.toString());
      assertThat(linked).isEqualTo(small);
    }
  }

  /** Sets {@code value} through the entry of {@code name}, as Jackson's replace would. */
  private static void setEvery(Map<String, JsonNode> map, String name, JsonNode value) {
    for (Map.Entry<String, JsonNode> e : map.entrySet()) {
      if (e.getKey().equals(name)) {
        assertThat(e.setValue(value)).isNotNull();
        assertThat(e.getValue()).isEqualTo(value);
      }
    }
  }

  @Test
  void anObjectNodeOverItIsEqualToAndWrittenAsJacksonsOwn() {
    ObjectNode small = new ObjectNode(F, new SmallProperties(1));
    ObjectNode jackson = F.objectNode();
    for (ObjectNode node : List.of(small, jackson)) {
      node.put("z", 1).put("a", "x").putNull("m");
      node.set("nested", F.objectNode().put("k", true));
      node.remove("a");
      node.put("a", 2.5);
    }

    assertThat(small).isEqualTo(jackson).hasSameHashCodeAs(jackson);
    assertThat(jackson).isEqualTo(small);
    assertThat(small.toString()).isEqualTo(jackson.toString()).startsWith("{\"z\":1,\"m\":null");
    assertThat(small.deepCopy()).isEqualTo(jackson);
  }

  @Test
  void anIteratorFailsFastWhenTheMapChangesUnderIt() {
    SmallProperties map = new SmallProperties(2);
    map.put("a", F.numberNode(1));
    map.put("b", F.numberNode(2));
    Iterator<Map.Entry<String, JsonNode>> it = map.entrySet().iterator();
    it.next();
    map.put("c", F.numberNode(3));

    assertThatThrownBy(it::next).isInstanceOf(ConcurrentModificationException.class);
  }

  @Test
  void anEntryKeepsItsLastValueOnceRemoved() {
    SmallProperties map = new SmallProperties(2);
    map.put("a", F.numberNode(1));
    map.put("b", F.numberNode(2));
    Map.Entry<String, JsonNode> b = new ArrayList<>(map.entrySet()).get(1);
    map.remove("a"); // b moves to index 0: the entry follows it
    b.setValue(F.numberNode(5));

    assertThat(map.get("b")).isEqualTo(F.numberNode(5));
    map.remove("b");
    assertThat(b.getValue()).isEqualTo(F.numberNode(5));
    assertThat(map).isEmpty();
  }
}
