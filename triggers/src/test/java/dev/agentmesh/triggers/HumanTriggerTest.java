package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.ParticipantRole;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.testing.ScriptedModel;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HumanTriggerTest {

  private final Mesh mesh =
      Mesh.builder()
          .agent(AgentSpec.builder("triage").instructions("Sort {{input}}").build())
          .model("default", ScriptedModel.builder().when(r -> true, r -> answer()).build())
          .build();
  private final Sessions sessions =
      Sessions.builder(mesh).store(InMemorySessionStore.create()).build();
  private final Map<String, String> tokens = Map.of("token-ana", "ana", "token-bo", "bo");
  private final HumanTrigger humans =
      HumanTrigger.builder(sessions)
          .authenticator(
              credential -> {
                String person = tokens.get(credential);
                if (person == null) throw new StartRefusedException("unknown or expired token");
                return person;
              })
          .build();

  private static dev.agentmesh.core.spi.ChatResponse answer() {
    return dev.agentmesh.core.spi.ChatResponse.ofText("sorted");
  }

  @AfterEach
  void close() {
    sessions.close();
  }

  @Test
  void theAuthenticatedPersonIsTheOriginAndTheOwner() {
    Session session =
        humans
            .start("token-ana", "triage")
            .input("My invoice is wrong")
            .participant("bo", ParticipantRole.MEMBER)
            .start();

    SessionState state = session.awaitFinished(Duration.ofSeconds(10));

    assertThat(state.origin()).isEqualTo(Origin.human("ana"));
    assertThat(state.participants())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("ana", ParticipantRole.OWNER, "bo", ParticipantRole.MEMBER));
    assertThat(state.output().asString()).isEqualTo("sorted");
  }

  @Test
  void aRefusedCredentialCreatesNoSessionAndTheMessageIsTheAuthenticators() {
    assertThatThrownBy(() -> humans.start("forged", "triage").input("x").start())
        .isInstanceOf(StartRefusedException.class)
        .hasMessage("unknown or expired token");

    assertThat(sessions.query(SessionQuery.builder().build()).sessions()).isEmpty();
  }

  @Test
  void theOwnerRoleBelongsToThePersonAlone() {
    assertThatThrownBy(
            () -> humans.start("token-ana", "triage").participant("mallory", ParticipantRole.OWNER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the person who starts the session is its owner; invite 'mallory' as MEMBER or"
                + " OBSERVER");
  }

  @Test
  void aDoubleSubmitWithOneKeyStartsOneSession() {
    Session first = humans.start("token-bo", "triage").input("x").idempotencyKey("form-7").start();
    Session second = humans.start("token-bo", "triage").input("x").idempotencyKey("form-7").start();

    assertThat(second.id()).isEqualTo(first.id());
  }

  @Test
  void anAuthenticatorAnswerNoOriginCanHoldIsTheHostsBugNotARefusal() {
    HumanTrigger broken = HumanTrigger.builder(sessions).authenticator(c -> " ").build();

    assertThatThrownBy(() -> broken.start("t", "triage").input("x").start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("The authenticator returned an id no session can record");
    assertThatThrownBy(() -> HumanTrigger.builder(sessions).build())
        .hasMessageContaining(".authenticator(credential -> personId)");
  }
}
