package io.securetx.adapter.cli;

import io.securetx.SecureTxException;
import io.securetx.config.ConfigException;
import io.securetx.crypto.CryptoException;
import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.ledger.LedgerStoreException;
import io.securetx.transaction.ValidationException;
import io.securetx.vault.IdempotencyConflictException;
import java.io.IOException;
import java.io.PrintWriter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Model.CommandSpec;

/** The root {@code securetx} command: builds the command tree and maps failures to exit codes. */
@Command(
    name = "securetx",
    mixinStandardHelpOptions = true,
    // --help and --version on every command: `securetx import --help` prints import's usage.
    scope = CommandLine.ScopeType.INHERIT,
    version = "securetx 0.1.0",
    description =
        "A secure transaction processor: sign, encrypt and store transactions in a"
            + " tamper-evident vault.",
    subcommands = {
      DemoCommand.class,
      ProcessCommand.class,
      ShowCommand.class,
      VerifyCommand.class,
      KeysCommand.class,
      ConfigCommand.class,
      WorkerCommand.class,
      EnqueueCommand.class,
      ResultCommand.class,
      TasksCommand.class,
      ReportCommand.class,
      ImportCommand.class,
      ServeCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:verification failed: the vault or a record was altered",
      "2:bad usage or invalid input; nothing stored",
      "3:invalid configuration (e.g. empty API_KEY_V1); nothing stored",
      "4:idempotency key reused with a different request; nothing stored",
      "5:transaction not found",
      "6:vault, keys, broker or result backend unavailable",
      "7:the task ended in FAILURE or REVOKED",
      "8:timed out waiting for a task result",
      "9:import finished but refused some rows (see its rejects file)",
      "70:internal error"
    })
public final class SecureTxCli implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(SecureTxCli.class);

  @picocli.CommandLine.Spec @Nullable CommandSpec spec;

  private SecureTxCli() {}

  @Override
  public void run() {
    err(spec).println("error: choose a command; see securetx --help");
    throw new CommandLine.ParameterException(
        requireSpec(spec).commandLine(), "a command is required");
  }

  /**
   * Builds the command line over an application context.
   *
   * @param context what the commands use
   * @return the configured command line; call {@code execute(args)}
   */
  public static CommandLine create(CliContext context) {
    IFactory factory = new ContextFactory(context);
    CommandLine cli = new CommandLine(new SecureTxCli(), factory);
    cli.setExecutionExceptionHandler(SecureTxCli::handle);
    cli.setParameterExceptionHandler(
        (e, args) -> {
          e.getCommandLine().getErr().println("error: " + e.getMessage());
          e.getCommandLine()
              .getErr()
              .println("see: securetx " + commandPath(e.getCommandLine()) + " --help");
          return ExitCodes.USAGE;
        });
    return cli;
  }

  private static String commandPath(CommandLine cli) {
    String name = cli.getCommandSpec().qualifiedName(" ");
    return name.startsWith("securetx ") ? name.substring("securetx ".length()) : "";
  }

  private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    int code = exitCode(e);
    err.println("error: " + e.getMessage());
    if (code == ExitCodes.INTERNAL) {
      // A stack trace may carry a cause's message verbatim; keep it out of the default output.
      err.println(
          "internal error ("
              + e.getClass().getName()
              + "); run with SECURETX_LOG_LEVEL=DEBUG for the stack trace");
      LOG.debug("internal error", e);
    }
    err.flush();
    return code;
  }

  static int exitCode(Throwable e) {
    if (e instanceof LedgerIntegrityException) {
      return ExitCodes.INTEGRITY;
    }
    if (e instanceof ValidationException || e instanceof io.securetx.ingest.ImportFileException) {
      return ExitCodes.USAGE;
    }
    if (e instanceof ConfigException) {
      return ExitCodes.CONFIG;
    }
    if (e instanceof IdempotencyConflictException) {
      return ExitCodes.CONFLICT;
    }
    if (e instanceof LedgerStoreException
        || e instanceof CryptoException
        || e instanceof IOException) {
      return ExitCodes.UNAVAILABLE;
    }
    if (e instanceof io.securetx.crypto.IntegrityException) {
      return ExitCodes.INTEGRITY;
    }
    if (e instanceof io.securetx.task.client.TaskFailedException) {
      return ExitCodes.TASK_FAILED;
    }
    if (e instanceof io.securetx.task.wire.WireFormatException
        || e instanceof io.securetx.task.TaskArgumentException) {
      return ExitCodes.USAGE;
    }
    if (e instanceof io.securetx.task.TaskException) {
      return ExitCodes.UNAVAILABLE;
    }
    if (e instanceof SecureTxException) {
      return ExitCodes.UNAVAILABLE;
    }
    return ExitCodes.INTERNAL;
  }

  static PrintWriter out(@Nullable CommandSpec spec) {
    return requireSpec(spec).commandLine().getOut();
  }

  static PrintWriter err(@Nullable CommandSpec spec) {
    return requireSpec(spec).commandLine().getErr();
  }

  static CommandSpec spec(@Nullable CommandSpec spec) {
    return requireSpec(spec);
  }

  private static CommandSpec requireSpec(@Nullable CommandSpec spec) {
    if (spec == null) {
      throw new IllegalStateException("picocli did not inject the command spec");
    }
    return spec;
  }

  /** Creates commands with the context; picocli's own classes use its default factory. */
  private static final class ContextFactory implements IFactory {
    private final CliContext context;
    private final IFactory fallback = CommandLine.defaultFactory();

    ContextFactory(CliContext context) {
      this.context = context;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
      for (var constructor : type.getDeclaredConstructors()) {
        Class<?>[] parameters = constructor.getParameterTypes();
        if (parameters.length == 1 && parameters[0] == CliContext.class) {
          constructor.setAccessible(true);
          return type.cast(constructor.newInstance(context));
        }
      }
      return fallback.create(type);
    }
  }
}
