package dev.agentmesh.triggers;

import dev.agentmesh.core.AgentMeshException;

/**
 * A payload that does not map to an agent's input: a required field's JSON Pointer found nothing.
 * The message names the field, the pointer and how far the payload matched (field names only, never
 * a value), so it can be returned to the sender.
 *
 * <pre>{@code
 * try {
 *   input = mapping.apply(payload);
 * } catch (InputMappingException e) {
 *   e.field();   // "title"
 *   e.pointer(); // "/issue/title"
 * }
 * }</pre>
 */
public final class InputMappingException extends AgentMeshException {

  private static final long serialVersionUID = 1L;

  /** The input field that could not be filled. */
  private final String field;

  /** The JSON Pointer that found nothing. */
  private final String pointer;

  InputMappingException(String field, String pointer, String message) {
    super(message);
    this.field = field;
    this.pointer = pointer;
  }

  /** {@return the input field that could not be filled} */
  public String field() {
    return field;
  }

  /** {@return the JSON Pointer that found nothing} */
  public String pointer() {
    return pointer;
  }

  /** {@code text} with control characters escaped, at most {@code max} characters shown. */
  static String shown(String text, int max) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length() && b.length() < max; i++) {
      char c = text.charAt(i);
      b.append(
          Character.isISOControl(c)
              ? String.format(java.util.Locale.ROOT, "\\u%04x", (int) c)
              : String.valueOf(c));
    }
    return text.length() > max ? b + "..." : b.toString();
  }
}
