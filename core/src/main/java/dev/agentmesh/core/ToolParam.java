package dev.agentmesh.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a parameter of a {@link Tool} method for the model.
 *
 * <pre>{@code
 * @Tool("Finds open tickets")
 * List<Ticket> openTickets(@ToolParam("Account id") String account,
 *                          @ToolParam(value = "At most this many", required = false) Integer limit) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface ToolParam {

  /** {@return what the parameter means; the model reads this} */
  String value() default "";

  /** {@return the parameter's name; the compiled name when empty} */
  String name() default "";

  /** {@return whether the model must pass it; a missing optional parameter is {@code null}} */
  boolean required() default true;
}
