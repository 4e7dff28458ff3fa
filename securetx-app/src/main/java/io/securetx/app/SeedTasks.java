package io.securetx.app;

import io.securetx.adapter.cli.CliContext;
import io.securetx.config.SecureTxConfig;
import io.securetx.task.Accumulate;
import io.securetx.task.TaskHandler;
import io.securetx.task.TaskRegistry;
import io.securetx.transaction.TransactionLimits;
import io.securetx.vault.RequestParser;
import io.securetx.vault.Vault;
import java.time.Clock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The seed's tasks as the worker runs them, registered under their own names and the configured
 * aliases ({@code SECURETX_TASK_ALIASES}). The vault opens on the first task that needs it; the
 * e-mail sent-markers, in the vault's database, open with the tasks.
 */
final class SeedTasks implements CliContext.InstalledTasks {

  private final TaskRegistry registry;
  private final SharedVault vault;
  private final MailTasks mail;

  SeedTasks(SecureTxConfig config, Supplier<Vault> openVault, Clock clock) {
    this(config, new SharedVault(openVault, true), clock);
  }

  /**
   * The tasks over a vault someone else owns (the API server's): closing the tasks leaves it open.
   *
   * @param config the configuration
   * @param vault the open vault
   * @param clock the clock
   * @return the tasks
   */
  static SeedTasks over(SecureTxConfig config, Vault vault, Clock clock) {
    return new SeedTasks(config, new SharedVault(() -> vault, false), clock);
  }

  private SeedTasks(SecureTxConfig config, SharedVault vault, Clock clock) {
    this.vault = vault;
    this.mail = MailTasks.open(config, clock);
    TaskRegistry.Builder builder =
        TaskRegistry.builder().register(Accumulate.NAME, new Accumulate());
    register(builder, config, SendWelcomeEmail.NAME, mail.sendWelcomeEmail());
    register(
        builder,
        config,
        GenerateMonthlyReport.NAME,
        new GenerateMonthlyReport(vault, config.reportDir(), clock));
    register(
        builder,
        config,
        ProcessTransaction.NAME,
        new ProcessTransaction(
            vault,
            new RequestParser(
                new TransactionLimits(config.maxAmount()), config.defaultCurrency())));
    this.registry = builder.build();
  }

  private static void register(
      TaskRegistry.Builder builder, SecureTxConfig config, String name, TaskHandler<?, ?> handler) {
    builder.register(name, handler, config.taskAliases().aliasesOf(name).toArray(String[]::new));
  }

  @Override
  public TaskRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    try (mail) {
      vault.close();
    }
  }

  /**
   * Opens the vault once, on first use, for every task of this worker; closes it with the tasks
   * when it owns it.
   */
  static final class SharedVault implements Supplier<Vault>, AutoCloseable {

    private final Supplier<Vault> open;
    private final boolean owned;
    private @Nullable Vault vault;
    private boolean closed;

    SharedVault(Supplier<Vault> open, boolean owned) {
      this.open = open;
      this.owned = owned;
    }

    @Override
    public synchronized Vault get() {
      if (closed) {
        throw new IllegalStateException("the worker's tasks are closed");
      }
      Vault opened = vault;
      if (opened == null) {
        opened = open.get();
        vault = opened;
      }
      return opened;
    }

    @Override
    public synchronized void close() {
      closed = true;
      if (vault != null && owned) {
        vault.close();
        vault = null;
      }
    }
  }
}
