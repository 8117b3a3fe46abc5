package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The turn's one state: which phase may follow which, and what each means for the drive. */
class TurnPhaseTest {

  private static final Set<TurnPhase> GOES_ON =
      EnumSet.of(
          TurnPhase.RESTART,
          TurnPhase.STOPPED_BY_STATE,
          TurnPhase.ASKED_HUMAN,
          TurnPhase.SUSPENDED,
          TurnPhase.FAILURE_RECORDED);
  private static final Set<TurnPhase> ENDS_DRIVE =
      EnumSet.of(TurnPhase.FENCED, TurnPhase.LEASE_LOST, TurnPhase.STORE_FAILED);

  @Test
  void aRunningTurnRecordsAndMayStopForAnyReason() {
    assertThat(TurnPhase.RUNNING.recording()).isTrue();
    for (TurnPhase next : TurnPhase.values()) {
      assertThat(TurnPhase.RUNNING.canBecome(next))
          .as("RUNNING -> %s", next)
          .isEqualTo(next != TurnPhase.RUNNING);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TurnPhase.class, names = "RUNNING", mode = EnumSource.Mode.EXCLUDE)
  void aStoppedTurnRecordsNothingAndNeverRunsAgain(TurnPhase phase) {
    assertThat(phase.recording()).isFalse();
    assertThat(phase.canBecome(TurnPhase.RUNNING)).isFalse();
    assertThat(phase.canBecome(phase)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(
      value = TurnPhase.class,
      names = {"RESTART", "STOPPED_BY_STATE", "ASKED_HUMAN", "SUSPENDED", "FAILURE_RECORDED"})
  void aReasonThatLetsTheDriveGoOnGivesWayOnlyToOneThatEndsIt(TurnPhase phase) {
    assertThat(phase.endsDrive()).isFalse();
    for (TurnPhase next : GOES_ON) {
      assertThat(phase.canBecome(next)).as("%s -> %s", phase, next).isFalse();
      assertThat(phase.then(next)).isEqualTo(phase);
    }
    for (TurnPhase next : ENDS_DRIVE) {
      assertThat(phase.canBecome(next)).as("%s -> %s", phase, next).isTrue();
      assertThat(phase.then(next)).isEqualTo(next);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = TurnPhase.class,
      names = {"FENCED", "LEASE_LOST", "STORE_FAILED"})
  void aReasonThatEndsTheDriveIsFinal(TurnPhase phase) {
    assertThat(phase.endsDrive()).isTrue();
    for (TurnPhase next : TurnPhase.values()) {
      assertThat(phase.canBecome(next)).as("%s -> %s", phase, next).isFalse();
      assertThat(phase.then(next)).isEqualTo(phase);
    }
  }

  @Test
  void everyPhaseIsEitherRunningOrOneOfTheTwoKindsOfStop() {
    Set<TurnPhase> all = EnumSet.of(TurnPhase.RUNNING);
    all.addAll(GOES_ON);
    all.addAll(ENDS_DRIVE);
    assertThat(all).containsExactlyInAnyOrder(TurnPhase.values());
  }
}
