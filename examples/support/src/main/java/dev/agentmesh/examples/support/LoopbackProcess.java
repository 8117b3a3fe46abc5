package dev.agentmesh.examples.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * An example's external system as a real process: a child JVM running a server's {@code main} on
 * 127.0.0.1, started by the example and stopped with it.
 *
 * <p>The protocol between the two is small. The child prints {@code port <n>} as its first line of
 * standard output once it serves; everything it prints after that is forwarded, line by line, to
 * the example's output (the Slack receiver's messages appear where a user would look). It serves
 * until its standard input ends: when this handle is closed, or when the example's JVM dies, even
 * by {@code kill -9}, so no server outlives its example. A line {@code sync <n>} on its input is
 * answered {@code synced <n>} (not forwarded), which is how {@link #sync()} knows that everything
 * the child printed before has been forwarded.
 *
 * <p>The child runs the same {@code java} as this JVM, with a class path made of the code sources
 * of the main class, this module and Jackson: it works the same under {@code exec:java} (where
 * {@code java.class.path} is Maven's own), in tests and in a forked JVM.
 *
 * <pre>{@code
 * // in the child
 * public static void main(String[] args) {
 *   MyServer server = MyServer.start();
 *   LoopbackProcess.serveUntilEndOfInput(server.port(), server::close);
 * }
 * // in the example
 * try (LoopbackProcess p = LoopbackProcess.start("my service", MyServer.class, List.of(), out)) {
 *   URI base = p.baseUri(); // http://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class LoopbackProcess implements AutoCloseable {

  /** How long a child may take to print its port. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private static final String PORT = "port ";
  private static final String SYNC = "sync ";
  private static final String SYNCED = "synced ";
  private static final int TAIL = 20;

  /** Classes whose code sources every child needs besides its main class. */
  private static final List<String> RUNTIME =
      List.of(
          "tools.jackson.databind.json.JsonMapper",
          "tools.jackson.core.JsonParser",
          "com.fasterxml.jackson.annotation.JsonProperty");

  private final String name;
  private final Process process;
  private final OutputStream stdin;
  private final Thread stdout;
  private final Thread stderr;
  private final int port;
  private final Object syncLock = new Object();
  private long syncsSent;
  private long syncsSeen;

  private LoopbackProcess(
      String name, Process process, Thread stdout, Thread stderr, int port, Forwarder forwarder) {
    this.name = name;
    this.process = process;
    this.stdin = process.getOutputStream();
    this.stdout = stdout;
    this.stderr = stderr;
    this.port = port;
    forwarder.owner = this;
  }

  /**
   * Starts {@code mainClass} in a child JVM and waits until it serves.
   *
   * @param name what the child is, for messages ({@code "the CRM and ticketing service"})
   * @param mainClass a class whose {@code main} ends in {@link #serveUntilEndOfInput}
   * @param args its arguments
   * @param out where the child's output after its port line goes
   * @return the running child; close it
   * @throws IllegalStateException when the child did not print its port in time or exited first,
   *     with its exit code and the end of its standard error
   */
  public static LoopbackProcess start(
      String name, Class<?> mainClass, List<String> args, PrintStream out) {
    List<String> command = command(mainClass, args);
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot start " + name + " (" + command.get(0) + " " + mainClass.getName() + ")", e);
    }
    Deque<String> errTail = new ArrayDeque<>();
    Thread stderr = daemon(name + "-stderr", () -> drainErr(process.getErrorStream(), errTail));
    Forwarder forwarder = new Forwarder(process.getInputStream(), out);
    Thread stdout = daemon(name + "-stdout", forwarder);
    int port = awaitPort(name, mainClass, process, forwarder.port, stderr, errTail);
    return new LoopbackProcess(name, process, stdout, stderr, port, forwarder);
  }

  /**
   * The child's side: announces {@code port}, then serves until standard input ends (answering
   * {@code sync} lines), runs {@code stop} and ends the JVM.
   *
   * @param port the port the child's server listens on, on 127.0.0.1
   * @param stop stops the server
   */
  public static void serveUntilEndOfInput(int port, Runnable stop) {
    System.out.println(PORT + port);
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith(SYNC)) {
          System.out.println(SYNCED + line.substring(SYNC.length()));
          System.out.flush();
        }
      }
    } catch (IOException e) {
      // the parent is gone: stop as on end of input
    } finally {
      stop.run();
      System.out.flush();
      System.exit(0);
    }
  }

  /** {@return {@code http://127.0.0.1:<port>}, the child's server} */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /**
   * GETs {@code path} of the child's server and parses its JSON answer.
   *
   * @param what what the answer holds, for error messages ("requests", "messages")
   */
  JsonNode getJson(HttpClient http, String path, String what) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUri() + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      HttpResponse<String> r =
          http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return CrmJson.parse(r.body(), "GET " + path);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the " + what + " of " + this, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading the " + what + " of " + this, e);
    }
  }

  /** {@return the child's process id} */
  public long pid() {
    return process.pid();
  }

  /**
   * Waits until everything the child printed so far has been forwarded (a message the child printed
   * before answering a request this JVM made is then in the example's output).
   *
   * @throws IllegalStateException when the child does not answer within 10 s
   */
  public void sync() {
    synchronized (syncLock) {
      long n = ++syncsSent;
      try {
        stdin.write((SYNC + n + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (syncsSeen < n) {
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (left <= 0 || !process.isAlive())
            throw new IllegalStateException(
                name + " (pid " + process.pid() + ") did not answer sync " + n);
          syncLock.wait(Math.min(left, 100));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(name + " (pid " + process.pid() + ") is gone", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while syncing with " + name, e);
      }
    }
  }

  /** Ends the child's input, so it stops; kills it if it has not stopped within 5 s. */
  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      stdout.join(5_000);
      stderr.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", " + baseUri() + ")";
  }

  private void synced(long n) {
    synchronized (syncLock) {
      syncsSeen = Math.max(syncsSeen, n);
      syncLock.notifyAll();
    }
  }

  static List<String> command(Class<?> mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-Xmx64m");
    command.add("-Dstdout.encoding=UTF-8");
    command.add("-Dfile.encoding=UTF-8");
    command.add("-cp");
    command.add(classPath(mainClass));
    command.add(mainClass.getName());
    command.addAll(args);
    return command;
  }

  private static String java() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** The code sources of the main class, this module and Jackson, as a class path. */
  static String classPath(Class<?> mainClass) {
    Set<String> entries = new LinkedHashSet<>();
    entries.add(location(mainClass));
    entries.add(location(LoopbackProcess.class));
    for (String name : RUNTIME) {
      try {
        entries.add(location(Class.forName(name, false, LoopbackProcess.class.getClassLoader())));
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(
            "Cannot build a child's class path: " + name + " is not on this class path", e);
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  private static String location(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    URL url = source == null ? null : source.getLocation();
    if (url == null)
      throw new IllegalStateException(
          "Cannot build a child's class path: " + type.getName() + " has no code source");
    try {
      return Path.of(url.toURI()).toString();
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "Cannot build a child's class path: " + type.getName() + " comes from " + url, e);
    }
  }

  private static int awaitPort(
      String name,
      Class<?> mainClass,
      Process process,
      CompletableFuture<Integer> port,
      Thread stderr,
      Deque<String> errTail) {
    String why;
    try {
      return port.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      why = "it printed no port within " + START_TIMEOUT.toSeconds() + " s";
    } catch (ExecutionException e) {
      why = String.valueOf(e.getCause() == null ? e : e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      why = "interrupted while waiting for its port";
    }
    process.destroyForcibly();
    try {
      if (process.waitFor(5, TimeUnit.SECONDS)) why += " (exit code " + process.exitValue() + ")";
      stderr.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String tail;
    synchronized (errTail) {
      tail = errTail.isEmpty() ? "(nothing)" : String.join("\n", errTail);
    }
    throw new IllegalStateException(
        "Cannot start "
            + name
            + " ("
            + mainClass.getName()
            + " in a child JVM): "
            + why
            + ". The end of its standard error:\n"
            + tail);
  }

  private static void drainErr(InputStream in, Deque<String> tail) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        synchronized (tail) {
          if (tail.size() == TAIL) tail.removeFirst();
          tail.addLast(line);
        }
        System.err.println(line);
      }
    } catch (IOException e) {
      // the child ended
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Reads the child's output: its port line first, then lines to forward and sync answers. */
  private static final class Forwarder implements Runnable {
    final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final InputStream in;
    private final PrintStream out;
    volatile @Nullable LoopbackProcess owner;

    Forwarder(InputStream in, PrintStream out) {
      this.in = in;
      this.out = out;
    }

    @Override
    public void run() {
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String first = r.readLine();
        if (first == null) {
          port.completeExceptionally(
              new IllegalStateException("it exited before printing its port"));
          return;
        }
        if (!first.startsWith(PORT)) {
          port.completeExceptionally(
              new IllegalStateException(
                  "its first line was \"" + first + "\", not \"" + PORT + "<n>\""));
          return;
        }
        port.complete(Integer.parseInt(first.substring(PORT.length()).strip()));
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (line.startsWith(SYNCED)) {
            LoopbackProcess p = owner;
            long n = Long.parseLong(line.substring(SYNCED.length()).strip());
            while (p == null) {
              Thread.onSpinWait();
              p = owner;
            }
            p.synced(n);
          } else {
            out.println(line);
            out.flush();
          }
        }
      } catch (IOException | RuntimeException e) {
        port.completeExceptionally(e);
      }
    }
  }
}
