package dev.agentmesh.examples.springboot;

import dev.agentmesh.testsupport.ForkedJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A main class that keeps running (a server), in a JVM of its own as the README command starts it:
 * the test's {@code java} and class path, the given system properties, and only the environment the
 * JVM needs ({@code ForkedJvm.processBuilder} in test-support, whose {@code run} waits for a main
 * class to end). The test waits for lines it prints, talks to it, then stops it as Ctrl-C or a
 * service manager does.
 *
 * <pre>{@code
 * try (ForkedServer app = ForkedServer.start(Main.class.getName(), Map.of("server.port", "0"))) {
 *   Matcher started = app.await(Pattern.compile("Tomcat started on port (\\d+)"), timeout);
 *   ...
 *   assertThat(app.stop(timeout)).isEqualTo(ForkedServer.TERMINATED);
 * }
 * }</pre>
 */
final class ForkedServer implements AutoCloseable {

  /** The exit status of a JVM that ran its shutdown hooks after SIGTERM: 128 + 15. */
  static final int TERMINATED = 143;

  private final String mainClass;
  private final Process process;
  private final Lines out;
  private final Lines err;

  private ForkedServer(String mainClass, Process process) {
    this.mainClass = mainClass;
    this.process = process;
    this.out = new Lines(process.getInputStream(), "forked-server-out");
    this.err = new Lines(process.getErrorStream(), "forked-server-err");
  }

  /**
   * Starts {@code mainClass} with no arguments.
   *
   * @param mainClass the fully qualified main class, on the current class path
   * @param systemProperties passed as {@code -Dkey=value}
   * @return the running server
   */
  static ForkedServer start(String mainClass, Map<String, String> systemProperties) {
    ProcessBuilder pb = ForkedJvm.processBuilder(mainClass, Map.of(), systemProperties);
    try {
      Process process = pb.start();
      process.getOutputStream().close();
      return new ForkedServer(mainClass, process);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot start " + pb.command().get(0) + " for " + mainClass, e);
    }
  }

  /**
   * Waits until a line of standard output matches {@code pattern}.
   *
   * @return the match, for its groups
   * @throws IllegalStateException when no line matched within {@code timeout} or the JVM ended
   */
  Matcher await(Pattern pattern, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    while (true) {
      List<String> lines = out.lines();
      for (; seen < lines.size(); seen++) {
        Matcher m = pattern.matcher(lines.get(seen));
        if (m.find()) {
          return m;
        }
      }
      if (!process.isAlive() && out.ended()) {
        throw new IllegalStateException(
            mainClass + " ended (status " + process.exitValue() + ") before " + pattern + output());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            mainClass + " printed no line matching " + pattern + " in " + timeout + output());
      }
      out.awaitMore(seen, Duration.ofMillis(200));
    }
  }

  /**
   * Stops it as a terminal's Ctrl-C or a service manager does (SIGTERM, so its shutdown hooks run)
   * and waits for it to end.
   *
   * @return its exit status ({@link #TERMINATED} when it shut down on the signal)
   */
  int stop(Duration timeout) {
    // The handle's destroy() sends the same SIGTERM as Process.destroy(), but leaves the pipes
    // open: Process.destroy() closes them, losing what the JVM prints while it shuts down.
    process.toHandle().destroy();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(
            mainClass + " did not stop within " + timeout + "; killed it." + output());
      }
      out.join();
      err.join();
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping " + mainClass, e);
    }
  }

  /** Everything it printed on standard output so far. */
  String stdout() {
    return String.join("\n", out.lines());
  }

  /** Everything it printed on standard error so far. */
  String stderr() {
    return String.join("\n", err.lines());
  }

  private String output() {
    return "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr();
  }

  /** Kills it if a failed test left it running. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  /** Reads a stream line by line on its own thread (a full pipe would block the child). */
  private static final class Lines {
    private final List<String> lines = new ArrayList<>();
    private final Thread thread;
    private boolean ended;

    Lines(InputStream in, String name) {
      thread =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    add(line);
                  }
                } catch (IOException e) {
                  // the child ended; what was read stays
                } finally {
                  end();
                }
              },
              name);
      thread.setDaemon(true);
      thread.start();
    }

    private synchronized void add(String line) {
      lines.add(line);
      notifyAll();
    }

    private synchronized void end() {
      ended = true;
      notifyAll();
    }

    synchronized List<String> lines() {
      return List.copyOf(lines);
    }

    synchronized boolean ended() {
      return ended;
    }

    synchronized void awaitMore(int seen, Duration at) {
      if (lines.size() <= seen) {
        try {
          wait(at.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }

    void join() throws InterruptedException {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    }
  }
}
