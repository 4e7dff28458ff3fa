package io.securetx.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.securetx.adapter.cli.CliContext.ServeOptions;
import io.securetx.adapter.http.HttpApiServer;
import io.securetx.vault.Vault;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium against the real {@code securetx serve} composition
 * (SQLite vault, the seed's tasks on the in-process queue): log in, watch a transaction posted
 * through the API appear masked without a reload, send a task and watch it finish, verify the
 * vault, log out. Needs Debian's {@code chromium} and {@code chromium-driver}: skipped without
 * them, except under {@code CI=true}, where their absence fails the build.
 */
class DashboardBrowserIT {

  private static final Path CHROMIUM =
      Path.of(System.getProperty("securetx.test.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER =
      Path.of(System.getProperty("securetx.test.chromedriver", "/usr/bin/chromedriver"));
  private static final String KEY = "stx_" + "Br0wser7estKeyAbcdefghijklmnopqrstuv";
  private static final String PASSWORD = "dashboard-browser-password";
  private static final String USER = "customer-4455667788";
  private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dataDir;
  private Vault vault;
  private HttpApiServer server;
  private ChromeDriver browser;
  private String base;

  @BeforeEach
  void start() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present) {
      String message =
          "the dashboard browser test needs "
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + " (apt-get install chromium chromium-driver)";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(message);
      }
      Assumptions.abort(message);
    }
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_DATA_DIR", dataDir.toString());
    env.put("REPORT_DIR", dataDir.resolve("reports").toString());
    env.put("API_KEY_V1", KEY);
    env.put("ADMIN_PASSWORD", PASSWORD);
    env.put("HTTP_RATE_LIMIT", "0");
    Application app = new Application(env, Clock.systemUTC());
    vault = app.openVault();
    server = app.httpServer(vault, app.config(), new ServeOptions("127.0.0.1", 0)).start();
    base = "http://127.0.0.1:" + server.port();

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1100",
        "--user-data-dir=" + dataDir.resolve("chromium"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (vault != null) {
      vault.close();
    }
  }

  @Test
  void dashboard_inChromium_loginLiveTransactionsTasksVerifyLogout() throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    browser.get(base + "/");
    Files.createDirectories(SCREENSHOTS);
    Files.write(
        SCREENSHOTS.resolve("login.png"),
        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    browser.findElement(By.id("password")).sendKeys("not the password");
    browser.findElement(By.id("login")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.className("message"), "Wrong"));

    // Drains the console: the 401 of that wrong password is expected; nothing after it is.
    browser.manage().logs().get(LogType.BROWSER);
    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    browser.findElement(By.id("login")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("transactions")));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("updated"), "updated"));
    assertThat(browser.findElement(By.id("transactions")).getText()).contains("no transactions");
    // A reload would drop this marker: the rows below must come from polling alone.
    ((JavascriptExecutor) browser).executeScript("window.stillTheSamePage = true;");

    String txId = postTransaction(USER, "42.50");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("transactions"), txId));
    WebElement row = browser.findElement(By.cssSelector("#transactions tr"));
    assertThat(row.getText()).contains("cu***88").contains("42.50").contains("USD");
    assertThat(((JavascriptExecutor) browser).executeScript("return window.stillTheSamePage"))
        .isEqualTo(true);

    WebElement name = browser.findElement(By.id("task-name"));
    name.clear();
    name.sendKeys("celery.accumulate");
    WebElement args = browser.findElement(By.id("task-args"));
    args.clear();
    args.sendKeys("[7, 8, 9]");
    browser.findElement(By.id("send")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("send-result"), "sent "));
    String taskId = browser.findElement(By.id("send-result")).getText().substring("sent ".length());
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("recent-tasks"), taskId));
    wait.until(
        d -> {
          WebElement first = d.findElement(By.cssSelector("#recent-tasks tr"));
          return first.getText().contains(taskId) && first.getText().contains("SUCCESS");
        });
    assertThat(browser.findElement(By.id("states")).getText()).contains("SUCCESS");
    assertThat(browser.findElement(By.id("workers")).getText())
        .contains(Long.toString(ProcessHandle.current().pid()));

    browser.findElement(By.id("verify")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("vault-verification"), "ok at"));
    assertThat(browser.findElement(By.id("vault-entries")).getText()).isEqualTo("1");

    assertThat(browser.getPageSource()).doesNotContain(USER).doesNotContain("4455667788");
    Path shot = SCREENSHOTS.resolve("dashboard.png");
    Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    assertThat(Files.size(shot)).isPositive();

    List<LogEntry> console = browser.manage().logs().get(LogType.BROWSER).getAll();
    assertThat(console)
        .as("browser console (CSP violations, script errors)")
        .noneMatch(e -> e.getLevel().intValue() >= Level.WARNING.intValue());

    // Hidden tab: polling stops (no overview request starts after it hides; one on its way is
    // aborted and not drawn) until it is visible again.
    JavascriptExecutor js = (JavascriptExecutor) browser;
    js.executeScript(
        "Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});"
            + "window.hiddenAt = performance.now();"
            + "document.dispatchEvent(new Event('visibilitychange'));");
    Awaitility.await()
        .during(Duration.ofSeconds(7))
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                overviewRequestsSince(js, "window.hiddenAt") == 0
                    && browser.findElement(By.id("updated")).getText().contains("paused"));
    js.executeScript(
        "Object.defineProperty(document, 'hidden', {configurable: true, get: () => false});"
            + "window.shownAt = performance.now();"
            + "document.dispatchEvent(new Event('visibilitychange'));");
    Awaitility.await().atMost(WAIT).until(() -> overviewRequestsSince(js, "window.shownAt") > 1);

    browser.findElement(By.id("logout")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("password")));
    browser.get(base + "/dashboard/api/overview");
    assertThat(browser.getPageSource()).contains("login-required");
  }

  /** Overview requests started at or after the page time held in a script variable. */
  private static long overviewRequestsSince(JavascriptExecutor js, String since) {
    return (Long)
        js.executeScript(
            "return performance.getEntriesByType('resource')"
                + ".filter(e => e.name.endsWith('/dashboard/api/overview') && e.startTime >= "
                + since
                + ").length;");
  }

  private String postTransaction(String user, String amount)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/v1/transactions"))
                    .header("Authorization", "Bearer " + KEY)
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", "browser-" + user + "-" + amount)
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"user_id\": \"" + user + "\", \"amount\": \"" + amount + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return new ObjectMapper().readTree(response.body()).path("tx_id").asText();
  }
}
