package dev.agentmesh.triggers;

/**
 * The two cron syntaxes a {@link CronSchedule} reads. They number the days of the week differently,
 * so a schedule always says which one it is written in.
 *
 * <pre>{@code
 * CronSchedule.builder("0 0 9 ? * 2-6").dialect(CronDialect.QUARTZ).zone(zone).build(); // Mon-Fri
 * }</pre>
 */
public enum CronDialect {

  /**
   * Unix (Vixie) cron: 5 fields {@code minute hour day-of-month month day-of-week}; day-of-week 0-7
   * where 0 and 7 are Sunday. When both day fields are restricted, either one matching fires
   * ({@code 0 0 13 * 5} is the 13th or any Friday); a day field is restricted unless it is {@code
   * *} (or {@code *}{@code /1}), so {@code 0-6} and {@code *}{@code /2} restrict it.
   */
  UNIX("unix", "minute hour day-of-month month day-of-week"),

  /**
   * Quartz cron: 6 or 7 fields {@code second minute hour day-of-month month day-of-week [year]};
   * day-of-week 1-7 where 1 is Sunday; exactly one day field is {@code ?}; {@code L}, {@code W} and
   * {@code #} allowed; years 1970-2099.
   */
  QUARTZ("quartz", "second minute hour day-of-month month day-of-week [year]");

  private final String label;
  private final String fields;

  CronDialect(String label, String fields) {
    this.label = label;
    this.fields = fields;
  }

  /**
   * {@return the lower-case name used in descriptions and messages: {@code unix} or {@code quartz}}
   */
  public String label() {
    return label;
  }

  /** The field layout, for messages. */
  String fields() {
    return fields;
  }
}
