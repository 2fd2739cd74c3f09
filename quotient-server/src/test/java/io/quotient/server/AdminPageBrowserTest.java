package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quotient.testing.Eventually;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin dashboard ({@code /admin}) in a real headless Chromium against a real server on the
 * example plans: sign-in with a key, the overview's figures against the API, a change confirmed in
 * a dialog and applied, a read key's change refused by the server and said so in the page, a
 * forged write refused for its CSRF token, and sign-out. Saves screenshots under
 * {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminPageBrowserTest {
  static final String SUBJECT = "dash-user";
  static TestServer server;
  static Browser browser;
  static String service;
  static String read;

  @BeforeAll
  static void start() throws InterruptedException {
    assumeTrue(Browser.available(), "Debian's chromium and chromium-driver are not installed (.ci/run installs them)");
    server = TestServer.start(Clock.systemUTC(), UnaryOperator.identity());
    service = server.createKey("service");
    read = server.createKey("read");
    consume(SUBJECT, "ai_generations", 9); // 90% of free's 10: near its limit
    consume(SUBJECT, "ai_generations", 5); // denied
    consume("dash-other", "ai_generations", 2);
    // The rollups follow the feed a step at a time (every few seconds under load): the page is
    // compared with the API once the API shows these decisions.
    Eventually.await("the rollups of the set-up", Duration.ofSeconds(30), () ->
        server.get("/v1/analytics/near-limit?min=80&limit=20", TestServer.ADMIN_KEY).json().get("items").size() > 0
            && server.get("/v1/analytics/denials?hours=24", TestServer.ADMIN_KEY).json().get("hours").findValues("denials")
                .stream().mapToLong(com.fasterxml.jackson.databind.JsonNode::asLong).sum() > 0);
    browser = Browser.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static void consume(String subject, String metric, long amount) {
    TestServer.Response r = server.post("/v1/consume", service,
        "{\"subject\":\"" + subject + "\",\"metric\":\"" + metric + "\",\"amount\":" + amount + "}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  static String base() {
    return "http://127.0.0.1:" + server.server.port();
  }

  static void waitFor(String what, java.util.function.BooleanSupplier condition) {
    new WebDriverWait(browser.driver, Duration.ofSeconds(10), Duration.ofMillis(50)).withMessage(what)
        .until(d -> {
          try {
            return condition.getAsBoolean();
          } catch (RuntimeException e) {
            return false; // an element redrawn meanwhile
          }
        });
  }

  static WebElement byId(String id) {
    return browser.driver.findElement(By.id(id));
  }

  static String view() {
    return browser.driver.findElement(By.tagName("body")).getDomAttribute("data-view");
  }

  static void signIn(String key) {
    browser.driver.get(base() + "/admin/");
    waitFor("the sign-in form", () -> "sign-in".equals(view()));
    byId("key").sendKeys(key);
    byId("sign-in-button").click();
    waitFor("the overview", () -> "overview".equals(view()));
  }

  static void signOutInPage() {
    byId("sign-out").click();
    waitFor("the sign-in form after signing out", () -> "sign-in".equals(view()));
  }

  @Test
  @Order(1)
  void signing_in_shows_the_overview_with_the_apis_figures() {
    signIn(TestServer.ADMIN_KEY);
    assertThat(byId("who").getText()).contains("admin");
    // Users near their limits: the API's near-limit list, row for row.
    var near = server.get("/v1/analytics/near-limit?min=80&limit=20", TestServer.ADMIN_KEY).json().get("items");
    assertThat(near.size()).isPositive();
    waitFor("the near-limit table", () -> byId("near").findElements(By.cssSelector("tbody tr")).size() == near.size());
    String firstRow = byId("near").findElement(By.cssSelector("tbody tr")).getText();
    assertThat(firstRow).contains(near.get(0).get("subject").asText(), near.get(0).get("metric").asText());
    // The denial total: the sum of the API's hourly denials.
    long denials = 0;
    for (var hour : server.get("/v1/analytics/denials?hours=24", TestServer.ADMIN_KEY).json().get("hours")) {
      denials += hour.get("denials").asLong();
    }
    long expected = denials;
    assertThat(expected).isPositive();
    waitFor("the denial total", () -> String.valueOf(expected).equals(byId("denials-total").getDomAttribute("data-denials")));
    // Plans: every plan the API lists.
    int plans = server.get("/v1/plans", TestServer.ADMIN_KEY).json().get("plans").size();
    waitFor("the plans table", () -> byId("plans").findElements(By.cssSelector("tbody tr")).size() == plans);
    // The riskiest subjects: the API's list, row for row, or the page says none is at risk.
    TestServer.Response risk = server.get("/v1/risk?limit=10", TestServer.ADMIN_KEY);
    assertThat(risk.status()).isEqualTo(200);
    int risky = risk.json().get("subjects").size();
    if (risky == 0) {
      waitFor("no subject at risk", () -> byId("risk").getText().contains("No subject is at risk."));
    } else {
      waitFor("the risk table", () -> byId("risk").findElements(By.cssSelector("tbody tr")).size() == risky);
    }
    // The live feed: a consume appears without a reload.
    waitFor("the stream", () -> "open".equals(browser.driver.findElement(By.tagName("body")).getDomAttribute("data-stream")));
    consume("dash-live", "exports", 1);
    try {
      waitFor("the consume in the live feed", () -> byId("feed").getText().contains("dash-live"));
    } catch (RuntimeException e) {
      throw new AssertionError("feed: " + byId("feed-state").getText() + " / " + byId("feed").getText() + " / "
          + browser.driver.manage().logs().get("browser").getAll(), e);
    }
    browser.screenshot("admin-overview");
  }

  @Test
  @Order(2)
  void a_grant_is_confirmed_in_a_dialog_then_applied() {
    browser.driver.get(base() + "/admin/#subject=" + SUBJECT);
    waitFor("the subject page", () -> "subject".equals(view()) && byId("s-usage").getText().contains("ai_generations"));
    byId("act-grant").click();
    waitFor("the dialog", () -> byId("dialog").isDisplayed());
    new Select(byId("dialog-fields").findElement(By.tagName("select"))).selectByValue("ai_generations");
    WebElement amount = byId("dialog-fields").findElement(By.cssSelector("input[type=number]"));
    amount.clear();
    amount.sendKeys("25");
    assertThat(byId("dialog-confirm").getText()).contains("25", "ai_generations", SUBJECT);
    browser.screenshot("admin-confirm");
    // Cancelling changes nothing.
    byId("dialog-cancel").click();
    waitFor("the dialog closed", () -> !byId("dialog").isDisplayed());
    assertThat(server.get("/v1/subjects/" + SUBJECT + "/grants", TestServer.ADMIN_KEY).json().get("grants").size()).isZero();
    // Confirming applies it.
    byId("act-grant").click();
    waitFor("the dialog", () -> byId("dialog").isDisplayed());
    new Select(byId("dialog-fields").findElement(By.tagName("select"))).selectByValue("ai_generations");
    amount = byId("dialog-fields").findElement(By.cssSelector("input[type=number]"));
    amount.clear();
    amount.sendKeys("25");
    byId("dialog-ok").click();
    waitFor("the grant in the page", () -> byId("s-grants").findElements(By.cssSelector("tbody tr")).size() == 1);
    var grants = server.get("/v1/subjects/" + SUBJECT + "/grants", TestServer.ADMIN_KEY).json().get("grants");
    assertThat(grants.size()).isEqualTo(1);
    assertThat(grants.get(0).get("amount").asLong()).isEqualTo(25);
    assertThat(byId("error").getText()).isEqualTo("Done.");
    browser.screenshot("admin-subject");
  }

  @Test
  @Order(3)
  void a_forged_write_without_the_csrf_token_is_refused() {
    // From the signed-in page itself, the cookie goes along but no X-CSRF-Token: refused.
    Object status = browser.driver.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch('/v1/subjects/forged-in-page', {method: 'PUT', credentials: 'same-origin',"
            + " headers: {'Content-Type': 'application/json'}, body: '{\"plan\":\"free\"}'}).then(r => done(r.status));");
    assertThat(((Number) status).intValue()).isEqualTo(403);
    assertThat(server.get("/v1/subjects/forged-in-page", TestServer.ADMIN_KEY).status()).isEqualTo(404);
  }

  @Test
  @Order(4)
  void signing_out_ends_the_session() {
    browser.driver.get(base() + "/admin/");
    waitFor("the overview", () -> "overview".equals(view()));
    signOutInPage();
    browser.screenshot("admin-sign-in");
    // The old cookie is gone from the browser and from the server: a reload asks to sign in again.
    browser.driver.navigate().refresh();
    waitFor("the sign-in form after a reload", () -> "sign-in".equals(view()));
    Object status = browser.driver.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch('/v1/plans', {credentials: 'same-origin'}).then(r => done(r.status));");
    assertThat(((Number) status).intValue()).isEqualTo(401);
  }

  @Test
  @Order(5)
  void a_read_keys_change_is_refused_and_the_page_says_so() {
    signIn(read);
    assertThat(byId("who").getText()).contains("read");
    assertThat(byId("read-only").isDisplayed()).isTrue();
    browser.driver.get(base() + "/admin/#subject=" + SUBJECT);
    waitFor("the subject page", () -> "subject".equals(view()) && byId("s-usage").getText().contains("ai_generations"));
    String planBefore = server.get("/v1/subjects/" + SUBJECT, TestServer.ADMIN_KEY).json().get("plan").asText();
    byId("act-plan").click();
    waitFor("the dialog", () -> byId("dialog").isDisplayed());
    new Select(byId("dialog-fields").findElement(By.tagName("select"))).selectByValue("starter");
    byId("dialog-ok").click();
    waitFor("the refusal in the page", () -> byId("error").getText().contains("403"));
    assertThat(server.get("/v1/subjects/" + SUBJECT, TestServer.ADMIN_KEY).json().get("plan").asText()).isEqualTo(planBefore);
    browser.screenshot("admin-read-refused");
    signOutInPage();
  }

  @Test
  @Order(6)
  void a_375_pixel_phone_needs_no_horizontal_scroll() {
    browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(375, 812));
    try {
      signIn(TestServer.ADMIN_KEY);
      waitFor("the plans table", () -> !byId("plans").findElements(By.cssSelector("tbody tr")).isEmpty());
      Object overflow = browser.driver.executeScript(
          "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
      assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);
      browser.screenshot("admin-phone");
      signOutInPage();
    } finally {
      browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
    }
  }

  @Test
  @Order(7)
  void the_page_may_not_be_framed() {
    TestServer.Response page = server.send("GET", "/admin/", null, null, Map.of());
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
    assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
  }
}
