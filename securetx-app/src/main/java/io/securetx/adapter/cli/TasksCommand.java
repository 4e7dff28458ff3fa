package io.securetx.adapter.cli;

import io.securetx.task.broker.Broker;
import io.securetx.task.broker.BrokerStats;
import io.securetx.task.broker.DeadLetter;
import io.securetx.task.broker.WorkerInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code securetx tasks ...}: look at the broker and manage dead letters. */
@Command(
    name = "tasks",
    description = "Inspect the task broker: queue depths, workers, dead letters.",
    subcommands = {TasksCommand.Stats.class, TasksCommand.Dead.class})
final class TasksCommand implements Runnable {

  @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        SecureTxCli.spec(spec).commandLine(), "choose: stats or dead");
  }

  /** {@code securetx tasks stats}. */
  @Command(
      name = "stats",
      description = "Queue depths, scheduled, in-flight and dead messages, live workers.")
  static final class Stats implements Callable<Integer> {
    private final CliContext context;

    @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

    @Option(
        names = {"-Q", "--queues"},
        split = ",",
        description = "Queues to count besides those live workers consume (default: celery).")
    List<String> queues = new ArrayList<>(List.of("celery"));

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    Stats(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      try (Broker broker = context.openBroker()) {
        BrokerStats stats = broker.stats(queues);
        PrintWriter out = SecureTxCli.out(spec);
        if (json) {
          Map<String, Object> map = new LinkedHashMap<>();
          map.put("queues", stats.queueDepths());
          map.put("scheduled", stats.scheduled());
          map.put("in_flight", stats.inFlight());
          map.put("dead", stats.dead());
          map.put("workers", stats.workers().stream().map(Stats::worker).toList());
          out.println(Output.json(map));
          return ExitCodes.OK;
        }
        stats.queueDepths().forEach((q, n) -> out.printf("queue %-20s %d waiting%n", q, n));
        out.printf(
            "scheduled  %d%nin flight  %d%ndead       %d%n",
            stats.scheduled(), stats.inFlight(), stats.dead());
        out.printf("workers    %d alive%n", stats.workers().size());
        for (WorkerInfo w : stats.workers()) {
          out.printf(
              "  %s  queues %s  concurrency %d  since %s%n",
              w.id(), String.join(",", w.queues()), w.concurrency(), w.startedAt());
        }
        return ExitCodes.OK;
      }
    }

    private static Map<String, Object> worker(WorkerInfo w) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("id", w.id());
      map.put("hostname", w.hostname());
      map.put("pid", w.pid());
      map.put("queues", w.queues());
      map.put("concurrency", w.concurrency());
      map.put("started_at", w.startedAt().toString());
      return map;
    }
  }

  /** {@code securetx tasks dead list|requeue ID|purge}. */
  @Command(
      name = "dead",
      description = "Dead letters: messages that could not be decoded or exhausted their retries.",
      subcommands = {Dead.ListDead.class, Dead.Requeue.class, Dead.Purge.class})
  static final class Dead implements Runnable {
    @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(
          SecureTxCli.spec(spec).commandLine(), "choose: list, requeue ID or purge");
    }

    /** {@code securetx tasks dead list}. */
    @Command(name = "list", description = "List dead letters, newest first.")
    static final class ListDead implements Callable<Integer> {
      private final CliContext context;

      @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

      @Option(names = "--max", description = "At most this many (default: ${DEFAULT-VALUE}).")
      int max = 100;

      @Option(names = "--json", description = "Print JSON, payloads included.")
      boolean json;

      ListDead(CliContext context) {
        this.context = context;
      }

      @Override
      public Integer call() {
        try (Broker broker = context.openBroker()) {
          List<DeadLetter> letters = broker.deadLetters(max);
          PrintWriter out = SecureTxCli.out(spec);
          if (json) {
            out.println(Output.json(letters.stream().map(ListDead::letter).toList()));
            return ExitCodes.OK;
          }
          for (DeadLetter d : letters) {
            out.printf(
                "%s  %s  %s  task %s  list %s%n    %s%n",
                d.id(), d.deadAt(), d.reason(), d.taskId(), d.list(), d.detail());
          }
          out.printf("%d dead letter%s%n", letters.size(), letters.size() == 1 ? "" : "s");
          return ExitCodes.OK;
        }
      }

      private static Map<String, Object> letter(DeadLetter d) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", d.id());
        map.put("reason", d.reason());
        map.put("detail", d.detail());
        map.put("list", d.list());
        map.put("task_id", d.taskId());
        map.put("dead_at", d.deadAt().toString());
        map.put("payload", d.payload());
        return map;
      }
    }

    /** {@code securetx tasks dead requeue ID}. */
    @Command(name = "requeue", description = "Put a dead letter back at the front of its queue.")
    static final class Requeue implements Callable<Integer> {
      private final CliContext context;

      @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

      @Parameters(index = "0", paramLabel = "ID", description = "The dead letter's id.")
      String id = "";

      @Option(names = "--queue", description = "Put it on this queue instead of its own.")
      @Nullable String queue;

      Requeue(CliContext context) {
        this.context = context;
      }

      @Override
      public Integer call() {
        try (Broker broker = context.openBroker()) {
          DeadLetter letter = broker.deadLetter(id).orElse(null);
          if (letter == null) {
            SecureTxCli.err(spec).println("error: no dead letter " + id);
            return ExitCodes.NOT_FOUND;
          }
          String list = queue != null ? queue : letter.list();
          if (list == null) {
            throw new CommandLine.ParameterException(
                SecureTxCli.spec(spec).commandLine(),
                "dead letter " + id + " names no queue; give one with --queue");
          }
          if (!broker.requeueDead(id, list)) {
            SecureTxCli.err(spec).println("error: dead letter " + id + " was taken meanwhile");
            return ExitCodes.NOT_FOUND;
          }
          SecureTxCli.out(spec).println("requeued " + id + " to " + list);
          return ExitCodes.OK;
        }
      }
    }

    /** {@code securetx tasks dead purge}. */
    @Command(name = "purge", description = "Delete every dead letter.")
    static final class Purge implements Callable<Integer> {
      private final CliContext context;

      @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

      Purge(CliContext context) {
        this.context = context;
      }

      @Override
      public Integer call() {
        try (Broker broker = context.openBroker()) {
          long n = broker.purgeDead();
          SecureTxCli.out(spec).printf("purged %d dead letter%s%n", n, n == 1 ? "" : "s");
          return ExitCodes.OK;
        }
      }
    }
  }
}
