package dev.agentmesh.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a tool agents may call. Register the object with {@link
 * Mesh.Builder#tools(Object...)}; the argument schema is generated from the parameter types and the
 * model's arguments are bound with Jackson.
 *
 * <pre>{@code
 * final class CrmTools {
 *   @Tool(value = "Looks up a customer's support tier", idempotent = true)
 *   Tier lookupTier(@ToolParam("The customer's account id") String customer) { ... }
 * }
 * }</pre>
 *
 * <p>Parameter names come from the class file, so compile with {@code -parameters} (or name each
 * parameter with {@link ToolParam#name()}). A parameter of type {@link ToolContext} receives the
 * run's context and is not shown to the model.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Tool {

  /** {@return what the tool does and when to use it; the model reads this} */
  String value();

  /** {@return the tool's name; the method's name when empty} */
  String name() default "";

  /**
   * Whether running the same call twice is harmless. After a crash, a session re-runs an idempotent
   * call whose result is missing and asks a human about any other.
   *
   * @return whether a repeat is harmless
   */
  boolean idempotent() default false;
}
