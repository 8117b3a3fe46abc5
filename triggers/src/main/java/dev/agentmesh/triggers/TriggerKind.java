package dev.agentmesh.triggers;

import java.util.Locale;

/**
 * What makes a declared trigger fire: a schedule ({@code cron}, {@code interval}, {@code once}), an
 * HTTP delivery ({@code webhook}) or a broker message ({@code event}). Human and agent triggers are
 * not declared: a host's code starts them ({@link HumanTrigger}, {@link AgentTriggers}).
 *
 * <pre>{@code
 * TriggerKind.CRON.id(); // "cron", as written in a trigger file's 'kind'
 * }</pre>
 */
public enum TriggerKind {
  /** A cron expression in a time zone. */
  CRON,
  /** A fixed period of elapsed time from an anchor. */
  INTERVAL,
  /** Once, at an instant. */
  ONCE,
  /** A signed HTTP delivery. */
  WEBHOOK,
  /** A message from a broker queue or an in-process topic. */
  EVENT;

  /** {@return the lower-case name written in trigger files: {@code cron}, {@code webhook}...} */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@return whether the kind fires on a schedule (cron, interval, once)} */
  public boolean scheduled() {
    return this == CRON || this == INTERVAL || this == ONCE;
  }
}
