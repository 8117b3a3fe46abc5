package dev.agentmesh.examples.deployguardrail;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The deploy rules, as plain Java: the function bound to {@code deploy-check}. No model, no I/O, no
 * clock: the verdict depends on the request alone, so the same request always gets the same
 * verdict, and a test can state every rule.
 *
 * <ul>
 *   <li>{@code freeze-window}: no production deploy from Friday 15:00 to Monday 07:00 (the team's
 *       zone), nor on the freeze days (the year-end freeze);
 *   <li>{@code migration-rollback}: every migration names the migration that undoes it;
 *   <li>{@code image-tag}: the image is pinned, by a version tag or a digest, never {@code latest}
 *       or untagged;
 *   <li>{@code approvals}: production needs two approvals, staging one, from people other than the
 *       requester.
 * </ul>
 *
 * <pre>{@code
 * DeployChecks checks = DeployChecks.standard();
 * Verdict verdict = checks.verdict(deploy);
 * }</pre>
 */
public final class DeployChecks {

  private final ZoneId zone;
  private final Set<LocalDate> freezeDays;

  /**
   * Rules for a team in {@code zone} with these freeze days.
   *
   * @param zone the team's time zone: the weekend freeze is in its local time
   * @param freezeDays days with no production deploy at all
   */
  public DeployChecks(ZoneId zone, Set<LocalDate> freezeDays) {
    this.zone = zone;
    this.freezeDays = Set.copyOf(freezeDays);
  }

  /**
   * The example team's rules: Europe/Berlin, the year-end freeze from 21 December 2026 to 4 January
   * 2027.
   *
   * @return the rules
   */
  public static DeployChecks standard() {
    Set<LocalDate> days = new LinkedHashSet<>();
    for (LocalDate d = LocalDate.of(2026, 12, 21);
        !d.isAfter(LocalDate.of(2027, 1, 4));
        d = d.plusDays(1)) {
      days.add(d);
    }
    return new DeployChecks(ZoneId.of("Europe/Berlin"), days);
  }

  /**
   * Checks the request against every rule.
   *
   * @param deploy the request
   * @return {@code allow} when no rule is broken, else {@code block} with every finding
   */
  public Verdict verdict(DeployRequest deploy) {
    List<Verdict.Finding> findings = new ArrayList<>();
    freezeWindow(deploy, findings);
    migrations(deploy, findings);
    imageTag(deploy, findings);
    approvals(deploy, findings);
    return new Verdict(
        deploy.service(), deploy.environment(), findings.isEmpty() ? "allow" : "block", findings);
  }

  private void freezeWindow(DeployRequest deploy, List<Verdict.Finding> findings) {
    if (!deploy.environment().equals("production")) return;
    ZonedDateTime at = deploy.requestedAt().atZone(zone);
    if (freezeDays.contains(at.toLocalDate())) {
      findings.add(
          new Verdict.Finding(
              "freeze-window",
              at.toLocalDate() + " is a freeze day (year-end freeze); deploy after it"));
      return;
    }
    DayOfWeek day = at.getDayOfWeek();
    LocalTime time = at.toLocalTime();
    boolean weekend =
        day == DayOfWeek.SATURDAY
            || day == DayOfWeek.SUNDAY
            || day == DayOfWeek.FRIDAY && !time.isBefore(LocalTime.of(15, 0))
            || day == DayOfWeek.MONDAY && time.isBefore(LocalTime.of(7, 0));
    if (weekend) {
      findings.add(
          new Verdict.Finding(
              "freeze-window",
              "requested for "
                  + day.toString().charAt(0)
                  + day.toString().substring(1).toLowerCase(java.util.Locale.ROOT)
                  + " "
                  + time
                  + " "
                  + zone
                  + ", inside the weekend freeze (Friday 15:00 to Monday 07:00); deploy on a"
                  + " weekday"));
    }
  }

  private static void migrations(DeployRequest deploy, List<Verdict.Finding> findings) {
    for (DeployRequest.Migration m : deploy.migrations()) {
      String rollback = m.rollback();
      if (rollback == null || rollback.isBlank()) {
        findings.add(
            new Verdict.Finding(
                "migration-rollback",
                "migration '" + m.id() + "' has no rollback; add the migration that undoes it"));
      }
    }
  }

  private static void imageTag(DeployRequest deploy, List<Verdict.Finding> findings) {
    String image = deploy.image();
    if (image.contains("@sha256:")) return;
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    String tag = colon > slash ? image.substring(colon + 1) : "";
    if (tag.isEmpty() || tag.equals("latest")) {
      findings.add(
          new Verdict.Finding(
              "image-tag",
              "image '"
                  + image
                  + "' "
                  + (tag.isEmpty() ? "has no tag" : "uses the tag 'latest'")
                  + "; pin a version tag or a digest"));
    }
  }

  private static void approvals(DeployRequest deploy, List<Verdict.Finding> findings) {
    int needed = deploy.environment().equals("production") ? 2 : 1;
    Set<String> approvers = new LinkedHashSet<>(deploy.approvals());
    approvers.remove(deploy.requestedBy());
    if (approvers.size() < needed) {
      findings.add(
          new Verdict.Finding(
              "approvals",
              deploy.environment()
                  + " needs "
                  + needed
                  + " approval"
                  + (needed == 1 ? "" : "s")
                  + " from people other than the requester '"
                  + deploy.requestedBy()
                  + "' but has "
                  + approvers.size()
                  + (approvers.isEmpty() ? "" : " " + approvers)));
    }
  }
}
