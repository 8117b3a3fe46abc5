package dev.agentmesh.triggers;

import java.util.Locale;

/**
 * What makes a declared trigger fire: a schedule ({@code cron}, {@code interval}, {@code once}), an
 * HTTP delivery ({@code webhook}), a broker message ({@code event}), a person ({@code human}) or
 * another agent's {@code start_session} call ({@code agent}). The last two declare who may start an
 * agent; the host's code starts the sessions ({@link HumanTrigger}, {@link AgentTriggers}), and
 * refuses starts nobody declared when it is given the declarations ({@link
 * HumanTrigger.Builder#declared}, {@link AgentTriggers.Builder#declared}).
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
  EVENT,
  /** A person, through {@link HumanTrigger}. */
  HUMAN,
  /** Another agent's {@value AgentTriggers#TOOL} call, through {@link AgentTriggers}. */
  AGENT;

  /** {@return the lower-case name written in trigger files: {@code cron}, {@code webhook}...} */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@return whether the kind fires on a schedule (cron, interval, once)} */
  public boolean scheduled() {
    return this == CRON || this == INTERVAL || this == ONCE;
  }

  /** {@return whether the kind declares who may start the agent (human, agent), not what fires} */
  public boolean declaresStarter() {
    return this == HUMAN || this == AGENT;
  }
}
