package dev.agentmesh.sessions;

import dev.agentmesh.core.AgentEvent;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The payloads of the events every conversation turn appends, written straight from their record
 * components rather than through Jackson's serializers: the tree {@link EventCodec}'s encoder
 * writes for them (the components in declaration order but an event's {@code at}, nulls as null,
 * ints and longs as such, decimals as they are, durations and instants as ISO strings, enums by
 * name, records as objects, {@code JsonNode}s copied), which {@code PayloadTreesTest} checks on
 * generated events. Every string and field name is checked for U+0000 as it is written, so a tree
 * it returns holds none. Its root is a {@link WrittenTree}: all of it is new, so a store may keep
 * it without a copy.
 *
 * <p>Another type, and an event that holds what Jackson writes otherwise (a binary, POJO or missing
 * node, a value of another kind) or a U+0000, gets no tree: the encoder writes it, and {@link
 * dev.agentmesh.sessions.spi.NewEvent} refuses the NUL with its message. Thread-safe.
 */
final class PayloadTrees {

  /** The types written here: what a session's start and its turns append. */
  static final Set<Class<?>> WRITTEN =
      Set.of(
          SessionEvent.Created.class,
          SessionEvent.ParticipantJoined.class,
          SessionEvent.MessagePosted.class,
          SessionEvent.Completed.class,
          AgentEvent.RunStarted.class,
          AgentEvent.ModelCalled.class,
          AgentEvent.ModelResponded.class,
          AgentEvent.ToolCalled.class,
          AgentEvent.ToolReturned.class,
          AgentEvent.OutputProduced.class);

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Thrown, without a stack trace, for an event that the codec's encoder writes instead. */
  private static final RuntimeException UNWRITTEN =
      new RuntimeException("written by the encoder", null, false, false) {};

  /** A record's components as Jackson writes them: in order, an event's {@code at} left out. */
  private static final ClassValue<Component[]> COMPONENTS =
      new ClassValue<>() {
        @Override
        protected Component[] computeValue(Class<?> type) {
          boolean event =
              SessionEvent.class.isAssignableFrom(type) || AgentEvent.class.isAssignableFrom(type);
          List<Component> written = new ArrayList<>();
          for (RecordComponent c : type.getRecordComponents()) {
            if (!(event && c.getName().equals("at"))) {
              written.add(new Component(c.getName(), reader(c.getAccessor())));
            }
          }
          return written.toArray(new Component[0]);
        }
      };

  /**
   * The components of each type written here ({@link #WRITTEN}), null for any other type: one
   * lookup per event for both whether it is written here and how.
   */
  private static final ClassValue<Component @Nullable []> ROOTS =
      new ClassValue<>() {
        @Override
        protected Component @Nullable [] computeValue(Class<?> type) {
          return WRITTEN.contains(type) ? COMPONENTS.get(type) : null;
        }
      };

  /** The most properties an object written here keeps in {@link SmallProperties}. */
  private static final int SMALL = 16;

  private record Component(String name, Function<Object, @Nullable Object> reader) {
    @Nullable Object read(Object record) {
      return reader.apply(record);
    }
  }

  /**
   * {@code accessor} as a function: a call the JIT can inline, where {@link Method#invoke} goes
   * through a reflective accessor and its checks on every call.
   */
  @SuppressWarnings("unchecked")
  private static Function<Object, @Nullable Object> reader(Method accessor) {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      MethodHandle target = lookup.unreflect(accessor);
      CallSite site =
          LambdaMetafactory.metafactory(
              lookup,
              "apply",
              MethodType.methodType(Function.class),
              MethodType.methodType(Object.class, Object.class),
              target,
              target.type().wrap()); // (the record)its value, a primitive boxed
      return (Function<Object, @Nullable Object>) site.getTarget().invokeExact();
    } catch (Throwable e) {
      throw new IllegalStateException("Cannot read " + accessor + " of a stored event", e);
    }
  }

  private PayloadTrees() {}

  /**
   * The payload of {@code body} (a session event, or an agent step's core event), or null when the
   * codec's encoder writes it: its type is not written here, or it holds a value Jackson writes
   * otherwise, or a U+0000.
   */
  static @Nullable ObjectNode write(Object body) {
    Component[] components = ROOTS.get(body.getClass());
    if (components == null) {
      return null;
    }
    try {
      SmallProperties turn = TurnPayloads.write(body); // a turn's events: written in code
      return new WrittenTree(turn != null ? turn : record(body, components));
    } catch (RuntimeException e) {
      if (e != UNWRITTEN) {
        throw e;
      }
      return null;
    }
  }

  /** The last instant written and its node (immutable, so trees may share it). */
  private record InstantNode(Instant at, JsonNode node) {}

  private static volatile InstantNode lastInstant =
      new InstantNode(Instant.EPOCH, NODES.stringNode(Instant.EPOCH.toString()));

  /**
   * {@code at} in ISO 8601, as Jackson writes it; the node of the last instant written is reused,
   * since a batch's events mostly share their instants (a trigger's 1,000 starts at one minute).
   */
  private static JsonNode instant(Instant at) {
    InstantNode last = lastInstant;
    if (last.at().equals(at)) {
      return last.node();
    }
    JsonNode node = NODES.stringNode(at.toString());
    lastInstant = new InstantNode(at, node);
    return node;
  }

  /**
   * The properties of {@code record}, one per component: added without looking for the name first,
   * since a record's components have distinct names.
   */
  private static SmallProperties record(Object record, Component[] components) {
    SmallProperties properties = new SmallProperties(components.length);
    for (Component c : components) {
      properties.add(c.name(), value(c.read(record)));
    }
    return properties;
  }

  private static JsonNode value(@Nullable Object value) {
    if (value == null) {
      return NODES.nullNode();
    } else if (value instanceof String text) {
      return NODES.stringNode(checked(text));
    } else if (value instanceof JsonNode json) {
      return copy(json);
    } else if (value instanceof Integer number) {
      return NODES.numberNode(number.intValue());
    } else if (value instanceof Long number) {
      return NODES.numberNode(number.longValue());
    } else if (value instanceof Boolean truth) {
      return NODES.booleanNode(truth);
    } else if (value instanceof BigDecimal number) {
      return NODES.numberNode(number);
    } else if (value instanceof Enum<?> constant) {
      return NODES.stringNode(constant.name());
    } else if (value instanceof Instant at) {
      return instant(at);
    } else if (value instanceof Duration) {
      return NODES.stringNode(value.toString()); // ISO 8601, as Jackson writes it
    } else if (value instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode(list.size());
      list.forEach(item -> array.add(value(item)));
      return array;
    } else if (value instanceof Map<?, ?> map) {
      ObjectNode object = object(map.size());
      map.forEach((key, item) -> object.set(checked(key), value(item)));
      return object;
    } else if (value instanceof Record) {
      Component[] components = COMPONENTS.get(value.getClass());
      return object(record(value, components));
    }
    throw UNWRITTEN;
  }

  /**
   * A copy of {@code node} as Jackson writes one into a tree: new containers, the same (immutable)
   * strings, numbers, booleans and nulls.
   */
  static JsonNode copy(JsonNode node) {
    switch (node.getNodeType()) {
      case OBJECT:
        if (node.getClass() != ObjectNode.class) {
          throw UNWRITTEN;
        }
        ObjectNode object = object(node.size());
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          object.set(checked(field.getKey()), copy(field.getValue()));
        }
        return object;
      case ARRAY:
        if (node.getClass() != ArrayNode.class) {
          throw UNWRITTEN;
        }
        ArrayNode array = NODES.arrayNode(node.size());
        for (int i = 0; i < node.size(); i++) {
          array.add(copy(node.get(i)));
        }
        return array;
      case STRING:
        checked(node.asString());
        return node;
      case NUMBER:
      case BOOLEAN:
      case NULL:
        return node;
      default: // binary, POJO, missing: Jackson writes them otherwise
        throw UNWRITTEN;
    }
  }

  /**
   * A new object node for {@code properties} properties: a few are kept in {@link SmallProperties},
   * more in the hash map of Jackson's own nodes (a scan of many names would cost more).
   */
  private static ObjectNode object(int properties) {
    return properties <= SMALL
        ? new ObjectNode(NODES, new SmallProperties(properties))
        : NODES.objectNode();
  }

  /** An object node of {@code properties}, which it keeps (and changes when it is changed). */
  static ObjectNode object(SmallProperties properties) {
    return new ObjectNode(NODES, properties);
  }

  static String checked(@Nullable Object text) {
    if (!(text instanceof String) || ((String) text).indexOf('\0') >= 0) {
      throw UNWRITTEN;
    }
    return (String) text;
  }
}
