package dev.agentmesh.benchmarks;

import dev.agentmesh.triggers.Schedule;
import dev.agentmesh.triggers.WebhookRequest;
import dev.agentmesh.triggers.WebhookScheme;
import dev.agentmesh.triggers.WebhookVerification;
import dev.agentmesh.triggers.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the triggers module's pure functions: the next fire time of a Unix cron, a Quartz
 * cron and an interval (each from an instant that moves a minute per call, so no result is cached),
 * and the verification of a 1 KiB Standard Webhooks and Slack request.
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar TriggersBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class TriggersBenchmark {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant SENT = Instant.parse("2026-11-29T12:00:00Z");
  private static final byte[] BODY =
      ("{\"event\":\"invoice.paid\",\"data\":\"" + "x".repeat(990) + "\"}")
          .getBytes(StandardCharsets.UTF_8);

  private final Schedule unix = Schedule.cron("*/15 9-17 * * MON-FRI", BERLIN);
  private final Schedule quartz = Schedule.quartz("0 0/15 9-17 ? * MON-FRI", BERLIN);
  private final Schedule interval = Schedule.every(Duration.ofMinutes(15), START);
  private final WebhookVerifier standard =
      WebhookVerifier.builder(WebhookScheme.STANDARD_WEBHOOKS)
          .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
          .clock(Clock.fixed(SENT, ZoneOffset.UTC))
          .build();
  private final WebhookVerifier slack =
      WebhookVerifier.builder(WebhookScheme.SLACK)
          .secret("8f742231b10e8888abcd99yyyzzz85a5")
          .clock(Clock.fixed(SENT, ZoneOffset.UTC))
          .build();
  private final WebhookRequest standardRequest = signed(standard);
  private final WebhookRequest slackRequest = signed(slack);
  private long minute;

  private Instant next() {
    minute = (minute + 1) % (366 * 24 * 60);
    return START.plusSeconds(minute * 60);
  }

  @Benchmark
  public Instant unixCronNextFireTime() {
    return unix.nextAfter(next());
  }

  @Benchmark
  public Instant quartzCronNextFireTime() {
    return quartz.nextAfter(next());
  }

  @Benchmark
  public Instant intervalNextFireTime() {
    return interval.nextAfter(next());
  }

  @Benchmark
  public WebhookVerification standardWebhooksVerify() {
    return standard.verify(standardRequest);
  }

  @Benchmark
  public WebhookVerification slackVerify() {
    return slack.verify(slackRequest);
  }

  private static WebhookRequest signed(WebhookVerifier verifier) {
    WebhookRequest.Builder request = WebhookRequest.builder().body(BODY);
    verifier.sign("msg_1", BODY).forEach(request::header);
    return request.build();
  }
}
