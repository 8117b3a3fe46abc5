package dev.agentmesh.triggers;

/**
 * Builds the input of the session an occurrence starts: a record, a map, a {@code JsonNode} or
 * text, as {@code Sessions.NewSession.input} takes.
 *
 * <pre>{@code
 * TriggerInput fixed = TriggerInput.of(Map.of("list", "priorities"));
 * TriggerInput built = o -> Map.of("trigger", o.triggerId(), "day", o.scheduledAt().toString());
 * }</pre>
 *
 * <h2>Threading and errors</h2>
 *
 * Called on the thread that ticks, once per occurrence a node is about to claim (so possibly on
 * several nodes for one occurrence; only the claiming node's input is stored). It must be a pure
 * function of the occurrence so every node builds the same input. An input that throws is logged
 * and its occurrence is not fired in that tick; it is tried again at the next tick while the
 * catch-up policy still finds it due.
 */
@FunctionalInterface
public interface TriggerInput {

  /**
   * The input of the session started for {@code occurrence}.
   *
   * @param occurrence the trigger and scheduled instant
   * @return the input: a record, a map, a {@code JsonNode} or text
   */
  Object input(Occurrence occurrence);

  /**
   * The same input for every occurrence.
   *
   * @param input the input
   * @return a fixed input
   */
  static TriggerInput of(Object input) {
    java.util.Objects.requireNonNull(input, "input");
    return new Fixed(input);
  }

  /**
   * A fixed input; its JSON is part of the trigger's fingerprint.
   *
   * @param value the input every occurrence gets
   */
  record Fixed(Object value) implements TriggerInput {
    /**
     * Checks the value.
     *
     * @param value as described on the record
     */
    public Fixed {
      java.util.Objects.requireNonNull(value, "value");
    }

    @Override
    public Object input(Occurrence occurrence) {
      return value;
    }
  }
}
