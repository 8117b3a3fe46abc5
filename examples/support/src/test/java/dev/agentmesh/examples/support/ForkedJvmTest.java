package dev.agentmesh.examples.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.testsupport.ForkedJvm;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForkedJvmTest {

  /** The forked main class: echoes what it was given. */
  public static final class Echo {
    public static void main(String[] args) {
      System.out.println("property=" + System.getProperty("echo.property"));
      System.out.println("env=" + System.getenv("ECHO_ENV"));
      System.out.println("openai=" + System.getenv("OPENAI_API_KEY"));
      System.err.println("to stderr");
      System.exit(3);
    }
  }

  @Test
  void aMainClassRunsInAFreshJvmWithTheTestClassPathPropertiesAndOnlyTheGivenEnvironment() {
    ForkedJvm.Result r =
        ForkedJvm.run(
            Echo.class.getName(),
            Map.of("ECHO_ENV", "e"),
            Map.of("echo.property", "p"),
            Duration.ofMinutes(2));

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("property=p\nenv=e\nopenai=null\n");
    assertThat(r.stderr()).contains("to stderr");
  }
}
