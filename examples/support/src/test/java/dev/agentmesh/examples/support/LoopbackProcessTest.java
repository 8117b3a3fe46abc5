package dev.agentmesh.examples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The examples' external systems as child JVMs: started, forwarded, read over HTTP, stopped. */
class LoopbackProcessTest {

  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  final HttpClient http = HttpClient.newHttpClient();

  /** A server that cannot start. */
  public static final class Broken {
    public static void main(String[] args) {
      System.err.println("no data files in /nowhere");
      System.exit(2);
    }
  }

  /**
   * An example's JVM: starts a receiver, prints the receiver's pid, and runs until it is killed (or
   * the test's end of its input ends it).
   */
  public static final class Parent {
    public static void main(String[] args) throws IOException {
      LoopbackProcess slack =
          LoopbackProcess.start(
              "the Slack webhook receiver", SlackReceiver.class, List.of(), System.out);
      System.out.println("child " + slack.pid());
      System.out.flush();
      while (System.in.read() >= 0) {
        // the test kills this JVM; its input ends only if the test itself is gone
      }
    }
  }

  @Test
  void theSlackReceiverRunsAsAProcessAndItsPrintoutReachesTheExamplesOutput() throws Exception {
    long pid;
    try (SlackProcess slack = SlackProcess.start(out)) {
      pid = pidOf(slack.toString());
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(slack.webhookUri())
                  .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"Review requested\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      slack.sync();

      assertThat(r.body()).isEqualTo("ok");
      assertThat(bytes.toString(StandardCharsets.UTF_8))
          .isEqualTo("Slack message:\n  | Review requested\n");
      assertThat(slack.messages())
          .extracting(SlackReceiver.Message::text)
          .containsExactly("Review requested");
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
      assertThat(ProcessHandle.current().children().map(ProcessHandle::pid)).contains(pid);
    }
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void theCrmRunsAsAProcessAndIsReadAndChangedOverHttp() {
    try (CrmProcess crm = CrmProcess.start(out)) {
      CrmRecord acme = crm.client().get("companies", "1001");
      CrmRecord edited = crm.edit("companies", "1001", "tier", "strategic");

      assertThat(edited.version()).isEqualTo(acme.version() + 1);
      assertThat(crm.records("companies"))
          .filteredOn(c -> c.id().equals("1001"))
          .singleElement()
          .satisfies(c -> assertThat(c.property("tier")).isEqualTo("strategic"));
      assertThat(crm.requests())
          .filteredOn(r -> r.method().equals("PATCH"))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.line()).isEqualTo("PATCH /crm/v3/objects/companies/1001");
                assertThat(r.ifMatch()).isEqualTo("\"1\"");
                assertThat(r.status()).isEqualTo(200);
              });
      assertThat(crm.requests()).noneMatch(r -> r.path().equals(CrmServer.REQUESTS));
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aChildThatCannotStartIsReportedWithWhyAndTheEndOfItsStandardError() {
    assertThatThrownBy(
            () -> LoopbackProcess.start("the broken service", Broken.class, List.of(), out))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "Cannot start the broken service (" + Broken.class.getName() + " in a child JVM):")
        .hasMessageContaining("it exited before printing its port (exit code 2)")
        .hasMessageEndingWith("The end of its standard error:\nno data files in /nowhere");
  }

  @Test
  void theChildStopsByItselfWhenTheExamplesJvmIsKilled() throws Exception {
    Process parent = new ProcessBuilder(LoopbackProcess.command(Parent.class, List.of())).start();
    try {
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
      String line = lines.readLine();
      assertThat(line).startsWith("child ");
      ProcessHandle child = ProcessHandle.of(Long.parseLong(line.substring(6))).orElseThrow();

      parent.destroyForcibly(); // SIGKILL: no shutdown hook runs

      assertThat(child.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
    } finally {
      parent.destroyForcibly();
    }
  }

  private static long pidOf(String described) {
    return Long.parseLong(described.replaceAll(".*\\(pid (\\d+),.*", "$1"));
  }
}
